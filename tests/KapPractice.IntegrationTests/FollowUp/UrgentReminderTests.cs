using KapPractice.IntegrationTests.Replies;
using KapPractice.Web.Domain;

namespace KapPractice.IntegrationTests.FollowUp;

/// <summary>An urgent inquiry nobody opened within FollowUp:UrgentRemindAfter (an hour) gets one more email to the practice, once.</summary>
public sealed class UrgentReminderTests
{
    private static readonly string[] TypedOrAnswered = ["Ottoline", "Brackwater", "Vantablack", "alex@example.com", "harming"];

    [Fact]
    public async Task An_urgent_inquiry_not_opened_for_an_hour_gets_one_reminder_with_its_number_and_link_only()
    {
        await using var mail = await MailHarness.StartAsync(f => f.WithSetting("Email:SendClientAcknowledgement", "false"));
        var start = mail.Time.GetUtcNow();
        var first = await mail.Factory.SubmitAsync(ValidInquiry.With(i => { i.FullName = "Ottoline Brackwater"; i.SelfHarmThoughts = YesNo.Yes; i.Message = "Vantablack grief"; }));
        var calm = await mail.Factory.SubmitAsync(ValidInquiry.With(i => i.FullName = "Not Urgent At All"));
        mail.SetUtc(start.AddMinutes(30));
        var second = await mail.Factory.SubmitAsync(ValidInquiry.With(i => { i.FullName = "Perpetua Ashgrove"; i.SelfHarmThoughts = YesNo.Yes; }));

        mail.SetUtc(start.AddMinutes(61));
        var reminder = Assert.Single((await mail.Smtp.WaitForAsync(smtp => smtp.Reminders(first.Id).Count == 1)).Reminders(first.Id)).Message;

        Assert.Empty(mail.Smtp.Received.Reminders(second.Id)); // 31 minutes old
        Assert.Null((await mail.Factory.StoredAsync(second.Id)).ReminderCheckedUtc);
        Assert.Equal([MailHarness.PracticeAddress], reminder.To.Mailboxes.Select(m => m.Address));
        Assert.Contains($"https://kap.test/admin/inquiries/{first.Id}", reminder.TextBody, StringComparison.Ordinal);
        Assert.Contains($"Urgent inquiry #{first.Id} arrived on 2026-03-02 04:00 Eastern and has not been opened", reminder.TextBody, StringComparison.Ordinal);
        foreach (var part in new[] { reminder.Subject, reminder.TextBody!, reminder.HtmlBody! })
        {
            Assert.All(TypedOrAnswered, typed => Assert.DoesNotContain(typed, part, StringComparison.OrdinalIgnoreCase));
        }

        // Looked at, urgent or not, at the same instant: the mark tells a copy of the database nothing, nor does the
        // reminder's row, which names no inquiry.
        Assert.Equal(start.AddMinutes(61).UtcDateTime, (await mail.Factory.StoredAsync(first.Id)).ReminderCheckedUtc);
        Assert.Equal(start.AddMinutes(61).UtcDateTime, (await mail.Factory.StoredAsync(calm.Id)).ReminderCheckedUtc);
        var row = Assert.Single(await mail.Factory.RowsOfKindAsync(OutboxKind.UrgentReminder));
        Assert.Null(row.InquiryId);

        mail.SetUtc(start.AddMinutes(91));
        await mail.Smtp.WaitForAsync(smtp => smtp.Reminders(second.Id).Count == 1);
        mail.SetUtc(start.AddHours(5));
        Assert.Empty(await mail.Factory.RunChecksAsync(checks => checks.QueueUrgentRemindersAsync(CancellationToken.None)));

        Assert.Single(mail.Smtp.Received.Reminders(first.Id));
        Assert.Single(mail.Smtp.Received.Reminders(second.Id));
        Assert.Empty(mail.Smtp.Received.Reminders(calm.Id));
        Assert.Equal(2, (await mail.Factory.RowsOfKindAsync(OutboxKind.UrgentReminder)).Count);
    }

    [Fact]
    public async Task No_reminder_goes_for_an_urgent_inquiry_opened_in_time_or_marked_as_spam()
    {
        await using var mail = await MailHarness.StartAsync(f => f.WithSetting("Email:SendClientAcknowledgement", "false"));
        var start = mail.Time.GetUtcNow();
        var opened = await mail.Factory.SubmitAsync(ValidInquiry.With(i => { i.FullName = "Opened In Time"; i.SelfHarmThoughts = YesNo.Yes; }));
        var spam = await mail.Factory.SubmitAsync(ValidInquiry.With(i => { i.FullName = "Marked As Spam"; i.SelfHarmThoughts = YesNo.Yes; }));
        var unopened = await mail.Factory.SubmitAsync(ValidInquiry.With(i => { i.FullName = "Not Opened"; i.SelfHarmThoughts = YesNo.Yes; }));
        mail.SetUtc(start.AddMinutes(30));
        var (client, _) = await mail.Factory.SignedInClientAsync();
        await client.GetDocumentAsync($"/admin/inquiries/{opened.Id}");
        // The form never flags an urgent answer as spam, so it is marked from the list's token, never opened:
        // only the spam flag can keep its reminder back.
        using (var marked = await client.PostWithTokenAsync("/admin", $"/admin/inquiries/{spam.Id}/spam", []))
        {
            Assert.Equal(System.Net.HttpStatusCode.Redirect, marked.StatusCode);
        }

        mail.SetUtc(start.AddMinutes(65));
        await mail.Smtp.WaitForAsync(smtp => smtp.Reminders(unopened.Id).Count == 1);
        Assert.Empty(await mail.Factory.RunChecksAsync(checks => checks.QueueUrgentRemindersAsync(CancellationToken.None)));

        Assert.Empty(mail.Smtp.Received.Reminders(opened.Id));
        Assert.Empty(mail.Smtp.Received.Reminders(spam.Id));
        var reminder = Assert.Single(mail.Smtp.Received.Reminders());
        Assert.Equal($"URGENT: inquiry #{unopened.Id} has not been opened", reminder.Message.Subject);
        Assert.Equal(start.AddMinutes(65).UtcDateTime, (await mail.Factory.StoredAsync(opened.Id)).ReminderCheckedUtc);
        Assert.Null((await mail.Factory.StoredAsync(spam.Id)).FirstViewedUtc);
    }

    [Fact]
    public async Task Two_instances_checking_at_once_queue_one_reminder()
    {
        await using var mail = await MailHarness.StartAsync(f => f.WithSetting("Email:SendClientAcknowledgement", "false"));
        var start = mail.Time.GetUtcNow();
        var urgent = await mail.Factory.SubmitAsync(ValidInquiry.With(i => { i.FullName = "Twice Checked"; i.SelfHarmThoughts = YesNo.Yes; }));

        mail.SetUtc(start.AddMinutes(61));
        var runs = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Task.Run(() => mail.Factory.RunChecksAsync(checks => checks.QueueUrgentRemindersAsync(CancellationToken.None)))));

        await mail.Smtp.WaitForAsync(smtp => smtp.Reminders(urgent.Id).Count == 1);
        Assert.True(runs.Count(r => r.Contains(urgent.Id)) <= 1);
        Assert.Single(mail.Smtp.Received.Reminders(urgent.Id));
        Assert.Single(await mail.Factory.RowsOfKindAsync(OutboxKind.UrgentReminder));
    }

    [Fact]
    public async Task A_reminder_queued_while_the_mail_server_is_down_is_dropped_when_the_inquiry_is_opened()
    {
        await using var mail = await MailHarness.StartAsync(f => f.WithSetting("Email:SendClientAcknowledgement", "false"), smtpRunning: false);
        var start = mail.Time.GetUtcNow();
        var urgent = await mail.Factory.SubmitAsync(ValidInquiry.With(i => { i.FullName = "Opened Late"; i.SelfHarmThoughts = YesNo.Yes; }));
        mail.SetUtc(start.AddMinutes(61));
        await Eventually.TrueAsync(async () => (await mail.Factory.RowsOfKindAsync(OutboxKind.UrgentReminder)).Any(r => r.State == OutboxState.Pending), what: "the reminder to be queued");

        var (client, _) = await mail.Factory.SignedInClientAsync();
        await client.GetDocumentAsync($"/admin/inquiries/{urgent.Id}");
        await mail.Smtp.StartAsync();
        mail.Time.Advance(TimeSpan.FromHours(2));
        await Eventually.TrueAsync(async () => (await mail.Factory.OutboxAsync()).All(r => r.State == OutboxState.Sent), what: "the queued mail to go");

        Assert.Empty(mail.Smtp.Received.Reminders(urgent.Id));
        // Recorded as done without a word sent, as a look at inquiries none of which is urgent is.
        Assert.Equal(OutboxState.Sent, Assert.Single(await mail.Factory.RowsOfKindAsync(OutboxKind.UrgentReminder)).State);
        Assert.Single(mail.To(MailHarness.PracticeAddress)); // the notification, delivered on the retry
    }

    [Fact]
    public async Task A_look_at_inquiries_none_of_them_urgent_queues_a_row_as_an_urgent_one_does_and_sends_nothing()
    {
        await using var mail = await MailHarness.StartAsync(f => f.WithSetting("Email:SendClientAcknowledgement", "false"));
        var start = mail.Time.GetUtcNow();
        var calm = await mail.Factory.SubmitAsync(ValidInquiry.With(i => i.FullName = "Calm Waiting"));

        mail.SetUtc(start.AddMinutes(61));
        Assert.Empty(await mail.Factory.RunChecksAsync(checks => checks.QueueUrgentRemindersAsync(CancellationToken.None)));
        await Eventually.TrueAsync(async () => (await mail.Factory.OutboxAsync()).All(r => r.State == OutboxState.Sent), what: "the outbox to be done");

        var row = Assert.Single(await mail.Factory.RowsOfKindAsync(OutboxKind.UrgentReminder));
        Assert.Equal(OutboxState.Sent, row.State);
        Assert.Null(row.InquiryId);
        Assert.Equal(start.AddMinutes(61).UtcDateTime, (await mail.Factory.StoredAsync(calm.Id)).ReminderCheckedUtc);
        Assert.Empty(mail.Smtp.Received.Reminders());
    }
}
