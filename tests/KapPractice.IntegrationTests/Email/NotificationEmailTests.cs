using KapPractice.Web.Domain;
using KapPractice.Web.Features.Inquiries;
using KapPractice.Web.Infrastructure.Email;
using MimeKit;

namespace KapPractice.IntegrationTests.Email;

/// <summary>What the practitioner and the client receive, sent through MailKit to a real SMTP server.</summary>
[Collection(SharedMailApp.Name)]
public sealed class NotificationEmailTests(SharedMail shared)
{
    /// <summary>Ana's answers: a concern in her own words, a message on two lines, and two that need medical review.</summary>
    private static InquiryForm Ana(Action<InquiryForm>? change = null) => ValidInquiry.With(i =>
    {
        i.FullName = "Ana Example";
        i.Email = "ana@client.test";
        i.Concerns = [Concern.Depression, Concern.Other];
        i.ConcernOther = "trouble sleeping";
        i.TreatmentsTried = [Treatment.TalkTherapy, Treatment.Antidepressants];
        i.BloodPressure = BloodPressure.TreatedAndControlled;
        i.Medications = [Medication.Lamotrigine];
        change?.Invoke(i);
    }) with { Message = "Two antidepressants have not helped.\nI would like to talk about options." };

    [Fact]
    public async Task The_practitioner_gets_the_answers_and_screening_with_reply_to_the_client()
    {
        await using var mail = await shared.StartAsync();

        var inquiry = await mail.Factory.SubmitAsync(Ana());

        await mail.Smtp.WaitForAsync(_ => mail.To(MailHarness.PracticeAddress).Count == 1);
        var notification = Assert.Single(mail.To(MailHarness.PracticeAddress));
        var message = notification.Message;
        Assert.Equal([MailHarness.PracticeAddress], message.To.Mailboxes.Select(m => m.Address));
        Assert.Equal([MailHarness.FromAddress], message.From.Mailboxes.Select(m => m.Address));
        var replyTo = Assert.Single(message.ReplyTo.Mailboxes);
        Assert.Equal(("Ana Example", "ana@client.test"), (replyTo.Name, replyTo.Address));
        Assert.Equal($"New inquiry #{inquiry.Id}", message.Subject);
        Assert.DoesNotContain("Ana", message.Subject, StringComparison.Ordinal);

        foreach (var body in new[] { notification.TextBody, notification.HtmlBody })
        {
            Assert.Contains("Needs medical review", body, StringComparison.Ordinal);
            Assert.Contains("Takes lamotrigine", body, StringComparison.Ordinal);
            Assert.Contains("Ana Example", body, StringComparison.Ordinal);
            Assert.Contains("trouble sleeping", body, StringComparison.Ordinal);
            Assert.Contains("Two antidepressants have not helped.", body, StringComparison.Ordinal);
            Assert.Contains("Yes, treated and under control", body, StringComparison.Ordinal);
            Assert.Contains($"https://kap.test/admin/inquiries/{inquiry.Id}", body, StringComparison.Ordinal);
        }

        var row = await mail.Factory.WaitForRowAsync(inquiry.Id, OutboxKind.PractitionerNotification, r => r.State == OutboxState.Sent);
        Assert.Equal(row.MessageId, message.MessageId);
        Assert.Equal(1, row.Attempts);
        Assert.Equal(mail.Time.GetUtcNow().UtcDateTime, row.SentUtc);
    }

    [Fact]
    public async Task An_urgent_inquiry_is_marked_urgent_in_the_subject()
    {
        await using var mail = await shared.StartAsync();

        var inquiry = await mail.Factory.SubmitAsync(Ana(i => i.SelfHarmThoughts = YesNo.Yes));

        await mail.Smtp.WaitForAsync(_ => mail.To(MailHarness.PracticeAddress).Count == 1);
        var message = mail.To(MailHarness.PracticeAddress)[0];
        Assert.Equal($"URGENT: new inquiry #{inquiry.Id}", message.Message.Subject);
        Assert.Contains("URGENT: the client answered yes", message.TextBody, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Every_client_typed_value_is_encoded_in_the_html_part()
    {
        await using var mail = await shared.StartAsync();

        await mail.Factory.SubmitAsync(Ana(i => { i.FullName = "<script>alert(1)</script>"; i.ConcernOther = "<b>bold</b>"; }) with { Message = "<img src=x onerror=alert(2)> & more" });

        await mail.Smtp.WaitForAsync(_ => mail.To(MailHarness.PracticeAddress).Count == 1);
        var notification = mail.To(MailHarness.PracticeAddress)[0];
        Assert.DoesNotContain("<script", notification.HtmlBody, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("<img", notification.HtmlBody, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("<b>", notification.HtmlBody, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("&lt;script&gt;alert(1)&lt;/script&gt;", notification.HtmlBody, StringComparison.Ordinal);
        Assert.Contains("&lt;img src=x onerror=alert(2)&gt; &amp; more", notification.HtmlBody, StringComparison.Ordinal);
        // The text part carries the words as typed, and the Reply-To name survives header encoding.
        Assert.Contains("<script>alert(1)</script>", notification.TextBody, StringComparison.Ordinal);
        Assert.Equal("<script>alert(1)</script>", notification.Message.ReplyTo.Mailboxes.Single().Name);
    }

    [Fact]
    public async Task Names_in_any_script_reach_the_practitioner_intact()
    {
        await using var mail = await shared.StartAsync();

        await mail.Factory.SubmitAsync(Ana(i => i.FullName = "Nguyễn O'Brien 李"));

        await mail.Smtp.WaitForAsync(_ => mail.To(MailHarness.PracticeAddress).Count == 1);
        var notification = mail.To(MailHarness.PracticeAddress)[0];
        Assert.Equal("Nguyễn O'Brien 李", notification.Message.ReplyTo.Mailboxes.Single().Name);
        Assert.Contains("Nguyễn O'Brien 李", notification.TextBody, StringComparison.Ordinal);
        Assert.Contains("Nguyễn O&#39;Brien 李", notification.HtmlBody, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Minimal_mode_sends_a_notice_without_health_details_or_identity()
    {
        await using var mail = await MailHarness.StartAsync(f => f.WithSetting("Email:NotificationDetail", "Minimal"));

        var inquiry = await mail.Factory.SubmitAsync(Ana(i => i.SelfHarmThoughts = YesNo.Yes));

        await mail.Smtp.WaitForAsync(_ => mail.To(MailHarness.PracticeAddress).Count == 1);
        var notification = mail.To(MailHarness.PracticeAddress)[0];
        Assert.Equal($"URGENT: new inquiry #{inquiry.Id}, please review promptly", notification.Message.Subject);
        Assert.Empty(notification.Message.ReplyTo);
        foreach (var body in new[] { notification.TextBody, notification.HtmlBody, notification.Message.Subject })
        {
            foreach (var detail in new[] { "self-harm", "lamotrigine", "Lamotrigine", "antidepressants", "trouble sleeping", "Blood pressure",
                "Needs medical review", "Depression", "Ana Example", "ana@client.test" })
            {
                Assert.DoesNotContain(detail, body, StringComparison.OrdinalIgnoreCase);
            }
        }

        Assert.Contains($"https://kap.test/admin/inquiries/{inquiry.Id}", notification.TextBody, StringComparison.Ordinal);
        Assert.Contains($"href=\"https://kap.test/admin/inquiries/{inquiry.Id}\"", notification.HtmlBody, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_client_gets_a_neutral_acknowledgement_with_the_crisis_line_and_no_health_details()
    {
        await using var mail = await shared.StartAsync();

        await mail.Factory.SubmitAsync(Ana(i => i.SelfHarmThoughts = YesNo.Yes));

        await mail.Smtp.WaitForAsync(_ => mail.To("ana@client.test").Count == 1);
        var ack = mail.To("ana@client.test")[0];
        Assert.Equal(["ana@client.test"], ack.Message.To.Mailboxes.Select(m => m.Address));
        Assert.Equal(MailHarness.PracticeAddress, ack.Message.ReplyTo.Mailboxes.Single().Address);
        Assert.NotNull(ack.Message.TextBody);
        Assert.NotNull(ack.Message.HtmlBody);
        foreach (var body in new[] { ack.TextBody, ack.HtmlBody })
        {
            Assert.Contains("988", body, StringComparison.Ordinal);
            Assert.Contains("HOME to 741741", body, StringComparison.Ordinal);
            Assert.Contains("911", body, StringComparison.Ordinal);
            foreach (var detail in new[] { "urgent", "self-harm", "lamotrigine", "medical review", "eligible", "not a fit", "ketamine", "Ana Example" })
            {
                Assert.DoesNotContain(detail, body, StringComparison.OrdinalIgnoreCase);
            }
        }
    }

    [Fact]
    public async Task The_acknowledgement_goes_at_most_once_per_address_per_day()
    {
        await using var mail = await MailHarness.StartAsync(); // its own: the clock moves

        await mail.Factory.SubmitAsync(Ana());
        await mail.Factory.SubmitAsync(Ana(i => i.Email = "ANA@Client.test"));
        mail.Time.Advance(TimeSpan.FromHours(23));
        await mail.Factory.SubmitAsync(Ana());
        await mail.Smtp.WaitForAsync(_ => mail.To(MailHarness.PracticeAddress).Count == 3);
        mail.Time.Advance(TimeSpan.FromHours(2));
        var nextDay = await mail.Factory.SubmitAsync(Ana());

        await mail.Smtp.WaitForAsync(_ => mail.To(MailHarness.PracticeAddress).Count == 4);
        await mail.Factory.WaitForRowAsync(nextDay.Id, OutboxKind.ClientAcknowledgement, r => r.State == OutboxState.Sent);
        Assert.Equal(2, mail.To("ana@client.test").Count);
        var acknowledgements = (await mail.Factory.OutboxAsync()).Where(m => m.Kind == OutboxKind.ClientAcknowledgement).ToList();
        Assert.Equal(2, acknowledgements.Count);
    }

    [Fact]
    public async Task No_acknowledgement_when_it_is_switched_off()
    {
        await using var mail = await MailHarness.StartAsync(f => f.WithSetting("Email:SendClientAcknowledgement", "false"));

        var inquiry = await mail.Factory.SubmitAsync(Ana());

        await mail.Factory.WaitForRowAsync(inquiry.Id, OutboxKind.PractitionerNotification, r => r.State == OutboxState.Sent);
        Assert.Single(mail.Smtp.Received);
        Assert.DoesNotContain(await mail.Factory.OutboxAsync(), m => m.Kind == OutboxKind.ClientAcknowledgement);
    }

    [Fact]
    public async Task Suspected_spam_is_stored_but_not_emailed()
    {
        await using var mail = await shared.StartAsync();

        var spam = await mail.Factory.SubmitAsync(Ana() with { Website = "https://cheap-pills.example" });
        var real = await mail.Factory.SubmitAsync(Ana(i => i.Email = "ben@client.test"));

        await mail.Factory.WaitForRowAsync(real.Id, OutboxKind.PractitionerNotification, r => r.State == OutboxState.Sent);
        Assert.DoesNotContain(await mail.Factory.OutboxAsync(), m => m.InquiryId == spam.Id);
        Assert.Empty(mail.To("ana@client.test"));
    }
}
