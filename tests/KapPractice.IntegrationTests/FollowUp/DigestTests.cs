using KapPractice.Web.Domain;
using KapPractice.Web.Infrastructure.Data;
using Microsoft.EntityFrameworkCore;

namespace KapPractice.IntegrationTests.FollowUp;

/// <summary>The practitioner's daily digest: at FollowUp:DigestTime in New York, only when something waits, once a day.</summary>
public sealed class DigestTests
{
    private static readonly string[] TypedByClients =
        ["Quillon", "Marrowby", "quillon@marker.test", "Zephyrine", "Ottoline", "Brackwater", "Vantablack", "Perpetua", "Ashgrove", "Glimmerzine", "Spammy"];

    [Fact]
    public async Task The_digest_goes_at_nine_in_new_york_with_the_counts_a_link_and_nothing_a_client_typed()
    {
        // The urgent one is reminded at 08:58, so the digest check of the minute before nine has visibly run.
        await using var mail = await MailHarness.StartAsync(f => f
            .WithSetting("Email:SendClientAcknowledgement", "false")
            .WithSetting("FollowUp:UrgentRemindAfter", "04:58:00"));
        var plain = await mail.Factory.SubmitAsync(ValidInquiry.With(i => { i.FullName = "Quillon Marrowby"; i.Email = "quillon@marker.test"; i.Message = "Zephyrine heartache"; }));
        var urgent = await mail.Factory.SubmitAsync(ValidInquiry.With(i => { i.FullName = "Ottoline Brackwater"; i.SelfHarmThoughts = YesNo.Yes; i.Concerns = [Concern.Other]; i.ConcernOther = "Vantablack grief"; }));
        var third = await mail.Factory.SubmitAsync(ValidInquiry.With(i => { i.FullName = "Perpetua Ashgrove"; i.Medications = [Medication.Other]; i.MedicationOther = "Glimmerzine"; }));
        var spam = await mail.Factory.SubmitAsync(ValidInquiry.With(i => { i.FullName = "Spammy Spamson"; i.Website = "https://spam.example"; }));
        Assert.True(spam.IsSuspectedSpam);
        await mail.Smtp.WaitForAsync(_ => mail.To(MailHarness.PracticeAddress).Count == 3);

        mail.SetUtc(FollowUpSupport.MondayNineNewYork.AddMinutes(-1));
        await mail.Smtp.WaitForAsync(smtp => smtp.Reminders(urgent.Id).Count == 1);
        Assert.Empty(await mail.Factory.WithDbAsync(db => db.DigestDays.ToListAsync()));
        Assert.Empty(mail.Smtp.Received.Digests());

        mail.SetUtc(FollowUpSupport.MondayNineNewYork.AddSeconds(30));
        var digest = Assert.Single((await mail.Smtp.WaitForAsync(smtp => smtp.Digests().Count == 1)).Digests()).Message;

        Assert.Equal([MailHarness.PracticeAddress], digest.To.Mailboxes.Select(m => m.Address));
        Assert.Equal("Inquiries waiting for a reply: 3 new, 1 urgent", digest.Subject);
        var text = digest.TextBody!.ReplaceLineEndings("\n");
        Assert.Contains("Inquiries waiting for a first reply on 2026-03-02 09:00 Eastern:\n- New: 3\n- Overdue (still New after 2 business days): 0\n- Urgent (still New): 1\n", text, StringComparison.Ordinal);
        Assert.Contains("See them in the admin area: https://kap.test/admin\n", text, StringComparison.Ordinal);
        foreach (var part in new[] { digest.Subject, digest.TextBody!, digest.HtmlBody! })
        {
            Assert.All(TypedByClients, typed => Assert.DoesNotContain(typed, part, StringComparison.OrdinalIgnoreCase));
            Assert.All(new[] { plain.Id, urgent.Id, third.Id, spam.Id }, id => Assert.DoesNotContain($"#{id}", part, StringComparison.Ordinal));
        }

        var row = Assert.Single(await mail.Factory.RowsOfKindAsync(OutboxKind.PractitionerDigest));
        Assert.Null(row.InquiryId);
        Assert.Equal(OutboxState.Sent, (await mail.Factory.WaitForDigestSentAsync(row.Id)).State);

        // Later the same day: the check finds the day done; on Thursday the Monday inquiries are past their two business days.
        mail.SetUtc(FollowUpSupport.MondayNineNewYork.AddHours(6));
        Assert.False(await mail.Factory.RunChecksAsync(checks => checks.QueueDigestIfDueAsync(CancellationToken.None)));
        mail.SetUtc(FollowUpSupport.MondayNineNewYork.AddDays(3).AddSeconds(30));
        await mail.Smtp.WaitForAsync(smtp => smtp.Digests().Count == 2);
        var thursday = mail.Smtp.Received.Digests()[1].Message;

        Assert.Contains("on 2026-03-05 09:00 Eastern:\n- New: 3\n- Overdue (still New after 2 business days): 3\n- Urgent (still New): 1\n", thursday.TextBody!.ReplaceLineEndings("\n"), StringComparison.Ordinal);
        Assert.Equal(2, (await mail.Factory.RowsOfKindAsync(OutboxKind.PractitionerDigest)).Count);
        Assert.Equal(
            [new DateOnly(2026, 3, 2), new DateOnly(2026, 3, 5)],
            await mail.Factory.WithDbAsync(db => db.DigestDays.OrderBy(d => d.LocalDate).Select(d => d.LocalDate).ToListAsync()));
    }

    [Fact]
    public async Task No_digest_goes_on_a_day_when_nothing_waits_not_even_when_an_inquiry_arrives_later_that_day()
    {
        await using var mail = await MailHarness.StartAsync(f => f.WithSetting("Email:SendClientAcknowledgement", "false"));
        await mail.Factory.SubmitAsync(ValidInquiry.With(i => { i.FullName = "Spammy Spamson"; i.Website = "https://spam.example"; }));

        mail.SetUtc(FollowUpSupport.MondayNineNewYork.AddSeconds(30));
        var monday = await mail.Factory.WaitForDigestDayAsync(new DateOnly(2026, 3, 2));

        Assert.False(monday.Queued);
        Assert.Empty(await mail.Factory.RowsOfKindAsync(OutboxKind.PractitionerDigest));

        mail.SetUtc(FollowUpSupport.MondayNineNewYork.AddHours(1));
        var later = await mail.Factory.SubmitAsync(ValidInquiry.With(i => i.FullName = "Quillon Marrowby"));
        await mail.Factory.WaitForRowAsync(later.Id, OutboxKind.PractitionerNotification, r => r.State == OutboxState.Sent);
        mail.SetUtc(FollowUpSupport.MondayNineNewYork.AddHours(2));
        Assert.False(await mail.Factory.RunChecksAsync(checks => checks.QueueDigestIfDueAsync(CancellationToken.None)));

        mail.SetUtc(FollowUpSupport.MondayNineNewYork.AddDays(1).AddSeconds(30));
        var tuesday = Assert.Single((await mail.Smtp.WaitForAsync(smtp => smtp.Digests().Count == 1)).Digests()).Message;

        Assert.StartsWith("Inquiries waiting for a reply: 1 new", tuesday.Subject, StringComparison.Ordinal);
        Assert.Contains("on 2026-03-03 09:00 Eastern:", tuesday.TextBody, StringComparison.Ordinal);
        Assert.Single(await mail.Factory.RowsOfKindAsync(OutboxKind.PractitionerDigest));
    }

    [Fact]
    public async Task An_app_down_at_nine_sends_the_digest_when_it_starts_that_morning_and_a_restart_never_sends_it_twice()
    {
        var folder = Path.Combine(Path.GetTempPath(), "kappractice-tests", Guid.NewGuid().ToString("N"));
        await using var smtp = new SmtpTestServer();
        await smtp.StartAsync();
        Action<KapPracticeFactory> sameData = f => smtp.Configure(f)
            .WithSetting("Data:Directory", Path.Combine(folder, "data"))
            .WithSetting("Encryption:KeyDirectory", Path.Combine(folder, "keys"))
            .WithSetting("Email:SendClientAcknowledgement", "false");
        try
        {
            await using (var first = await MailHarness.StartAsync(sameData, smtpRunning: false))
            {
                var inquiry = await first.Factory.SubmitAsync(ValidInquiry.With(i => i.FullName = "Quillon Marrowby"));
                await first.Factory.WaitForRowAsync(inquiry.Id, OutboxKind.PractitionerNotification, r => r.State == OutboxState.Sent);
            }

            // Down at nine; up again at 09:40 the same day.
            await using (var second = await MailHarness.StartAsync(sameData, smtpRunning: false))
            {
                second.SetUtc(FollowUpSupport.MondayNineNewYork.AddMinutes(40));
                await smtp.WaitForAsync(received => received.Digests().Count == 1);
            }

            await using var third = await MailHarness.StartAsync(sameData, smtpRunning: false);
            third.SetUtc(FollowUpSupport.MondayNineNewYork.AddMinutes(75));
            Assert.False(await third.Factory.RunChecksAsync(checks => checks.QueueDigestIfDueAsync(CancellationToken.None)));
            third.SetUtc(FollowUpSupport.MondayNineNewYork.AddDays(1).AddSeconds(30));
            await smtp.WaitForAsync(received => received.Digests().Count == 2);

            var rows = await third.Factory.RowsOfKindAsync(OutboxKind.PractitionerDigest);
            Assert.Equal(
                [FollowUpSupport.MondayNineNewYork.AddMinutes(40).UtcDateTime, FollowUpSupport.MondayNineNewYork.AddDays(1).AddSeconds(30).UtcDateTime],
                rows.Select(r => r.CreatedUtc));
            Assert.Contains("on 2026-03-02 09:40 Eastern:", smtp.Received.Digests()[0].TextBody, StringComparison.Ordinal);
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            if (Directory.Exists(folder))
            {
                Directory.Delete(folder, recursive: true);
            }
        }
    }
}

internal static class DigestWaits
{
    public static async Task<OutboxMessage> WaitForDigestSentAsync(this KapPracticeFactory factory, int rowId)
    {
        OutboxMessage? row = null;
        await Eventually.TrueAsync(async () =>
        {
            row = (await factory.OutboxAsync()).Single(m => m.Id == rowId);
            return row.State == OutboxState.Sent;
        }, what: $"digest row {rowId} to be sent");
        return row!;
    }

    public static async Task<DigestDay> WaitForDigestDayAsync(this KapPracticeFactory factory, DateOnly day)
    {
        DigestDay? found = null;
        await Eventually.TrueAsync(async () =>
        {
            found = await factory.WithDbAsync(db => db.DigestDays.AsNoTracking().SingleOrDefaultAsync(d => d.LocalDate == day));
            return found is not null;
        }, what: $"the digest check of {day}");
        return found!;
    }
}
