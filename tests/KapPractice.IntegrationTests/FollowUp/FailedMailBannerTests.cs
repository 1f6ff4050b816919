using KapPractice.IntegrationTests.Replies;
using KapPractice.Web.Domain;

namespace KapPractice.IntegrationTests.FollowUp;

/// <summary>Every email that failed for good shows on the admin list, not only the notification to the practitioner.</summary>
[Collection(SharedMailAppWithoutAcknowledgement.Name)]
public sealed class FailedMailBannerTests(SharedMailWithoutAcknowledgement shared)
{
    [Fact]
    public async Task A_reply_refused_by_the_server_is_named_in_the_admin_list_banner()
    {
        await using var mail = await shared.StartAsync();
        var inquiry = await mail.Factory.SubmitAsync(ValidInquiry.With(i => i.Email = "sam@example.com"));
        await mail.Smtp.WaitForCountAsync(1);
        var (client, _) = await mail.Factory.SignedInClientAsync();
        mail.Smtp.RefuseNext(1, 550, "5.1.1 No such mailbox");

        using var sent = await client.SendReplyAsync($"/admin/inquiries/{inquiry.Id}", "Next steps", "Hello Sam.");
        await mail.Factory.WaitForRowAsync(inquiry.Id, OutboxKind.ClientReply, r => r.State == OutboxState.Failed);
        var list = await client.GetDocumentAsync("/admin");

        var line = list.QuerySelector(".failed-mail .failed-replies")!;
        Assert.Contains("1 reply to a client could not be delivered", line.TextContent, StringComparison.Ordinal);
        Assert.Equal($"#{inquiry.Id}", line.QuerySelector($"a[href^='/admin/inquiries/{inquiry.Id}']")!.TextContent);
    }

    [Fact]
    public async Task A_digest_refused_by_the_server_is_mentioned_in_the_admin_list_banner()
    {
        await using var mail = await MailHarness.StartAsync(f => f.WithSetting("Email:SendClientAcknowledgement", "false"));
        await mail.Factory.SubmitAsync(ValidInquiry.Form());
        await mail.Smtp.WaitForCountAsync(1);
        mail.Smtp.RefuseNext(1, 550, "5.7.1 Refused");

        mail.SetUtc(FollowUpSupport.MondayNineNewYork.AddSeconds(30));
        await Eventually.TrueAsync(async () => (await mail.Factory.RowsOfKindAsync(OutboxKind.PractitionerDigest)).Any(r => r.State == OutboxState.Failed), what: "the digest to fail");
        var (client, _) = await mail.Factory.SignedInClientAsync();
        var list = await client.GetDocumentAsync("/admin");

        Assert.Equal("The daily digest of 2026-03-02 could not be sent; the list below is what it would have shown.", list.QuerySelector(".failed-mail .failed-digest")!.TextContent);
    }
}
