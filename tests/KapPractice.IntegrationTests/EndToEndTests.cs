using System.Net;
using KapPractice.IntegrationTests.Inquiries;
using KapPractice.Web.Domain;

namespace KapPractice.IntegrationTests;

/// <summary>
/// The whole path a real inquiry takes: the client posts the form, MailKit delivers the notification to
/// a real SMTP server, the practitioner reads it in the admin area.
/// </summary>
[Collection(CapturedLogs.Name)]
public sealed class EndToEndTests
{
    [Fact]
    public async Task A_form_posted_while_the_mail_server_is_down_is_kept_and_reaches_the_practitioner_exactly_once_when_it_returns()
    {
        await using var mail = await MailHarness.StartAsync(f => f.WithSetting("Spam:MinimumFillTime", "00:00:00"), smtpRunning: false);
        var client = mail.Factory.NewClient();

        using var response = await client.SubmitInquiryAsync(InquiryForms.Valid("Ngozi Okafor", "ngozi@client.test"));

        InquiryForms.AssertRedirectedToConfirmation(response);
        var stored = Assert.Single(await mail.Factory.InquiriesAsync());
        Assert.Equal("Ngozi Okafor", stored.FullName);
        await mail.Factory.WaitForRowAsync(stored.Id, OutboxKind.PractitionerNotification, row => row.Attempts >= 1 && row.State == OutboxState.Pending);

        await mail.Smtp.StartAsync();
        mail.Time.Advance(TimeSpan.FromMinutes(5));
        await mail.Factory.WaitForRowAsync(stored.Id, OutboxKind.PractitionerNotification, row => row.State == OutboxState.Sent);
        await mail.Factory.WaitForRowAsync(stored.Id, OutboxKind.ClientAcknowledgement, row => row.State == OutboxState.Sent);
        mail.Time.Advance(TimeSpan.FromHours(12));
        await mail.Factory.SubmitAsync(ValidInquiry.With(i => i.Email = "someone.else@client.test"));
        await mail.Smtp.WaitForCountAsync(4);

        var notification = Assert.Single(mail.To(MailHarness.PracticeAddress), m => m.TextBody.Contains("Ngozi Okafor", StringComparison.Ordinal));
        Assert.Equal("ngozi@client.test", Assert.Single(notification.Message.ReplyTo.Mailboxes).Address);
        Assert.Single(mail.To("ngozi@client.test"));
    }

    [Fact]
    public async Task Nothing_the_client_typed_appears_in_the_logs_from_form_to_mailbox_to_admin()
    {
        const string name = "Xiomara Quillfeather-Ødegård";
        const string email = "xq.unusual-7731@client.test";
        const string message = "Periwinkle-zeppelin marmalade";
        await using var mail = await MailHarness.StartAsync(f => f.WithSetting("Spam:MinimumFillTime", "00:00:00"));
        var client = mail.Factory.NewClient();

        InquiryForms.AssertRedirectedToConfirmation(await client.SubmitInquiryAsync(
            InquiryForms.Valid(name, email, i => i.Message = message)));
        InquiryForms.AssertRedirectedToConfirmation(await client.SubmitInquiryAsync(
            InquiryForms.Valid(name, email, i => { i.SelfHarmThoughts = YesNo.Yes; i.Message = message; })));
        using var invalid = await client.SubmitInquiryAsync(InquiryForms.Valid(name, "not-an-address " + message));
        Assert.Equal(HttpStatusCode.OK, invalid.StatusCode);
        await mail.Smtp.WaitForCountAsync(3);
        var (admin, _) = await mail.Factory.SignedInClientAsync();
        var first = (await mail.Factory.InquiriesAsync())[0];
        await admin.GetDocumentAsync($"/admin/inquiries/{first.Id}");
        await admin.GetDocumentAsync($"/admin?q={Uri.EscapeDataString(name)}");
        using var export = await admin.GetAsync(new Uri($"/admin/export?q={Uri.EscapeDataString(email)}", UriKind.Relative));
        Assert.Contains(email, await export.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        var lines = mail.Logs.Lines;
        Assert.Contains(lines, line => line.Contains("/inquiry", StringComparison.Ordinal));
        foreach (var secret in new[] { "Xiomara", "Quillfeather", "Ødegård", "xq.unusual", "Periwinkle", "zeppelin", "marmalade" })
        {
            Assert.DoesNotContain(lines, line => line.Contains(secret, StringComparison.OrdinalIgnoreCase));
        }
    }
}
