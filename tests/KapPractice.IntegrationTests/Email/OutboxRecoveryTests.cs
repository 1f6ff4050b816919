using KapPractice.Web.Domain;
using KapPractice.Web.Infrastructure.Outbox;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace KapPractice.IntegrationTests.Email;

/// <summary>
/// A restart sends what a crash left "sending" once that claim has run out, and leaves a live claim alone: on a
/// database two instances share, it is the other one's send (MultiInstanceTests run that on PostgreSQL).
/// </summary>
public sealed class OutboxRecoveryTests
{
    [Fact]
    public async Task A_restarted_app_sends_what_a_crash_left_pending_or_sending()
    {
        var folder = Path.Combine(Path.GetTempPath(), "kappractice-tests", Guid.NewGuid().ToString("N"));
        var dataDirectory = Path.Combine(folder, "data");
        // The restarted app needs the key the first one sealed the inquiry with.
        var keyDirectory = Path.Combine(folder, "keys");
        await using var smtp = new SmtpTestServer();
        try
        {
            int inquiryId;
            await using (var before = await MailHarness.StartAsync(f => smtp.Configure(f).WithSetting("Data:Directory", dataDirectory).WithSetting("Encryption:KeyDirectory", keyDirectory), smtpRunning: false))
            {
                var inquiry = await before.Factory.SubmitAsync(ValidInquiry.Form());
                inquiryId = inquiry.Id;
                await before.Factory.WaitForRowAsync(inquiryId, OutboxKind.PractitionerNotification, r => r.Attempts == 1 && r.State == OutboxState.Pending);
                await before.Factory.WaitForRowAsync(inquiryId, OutboxKind.ClientAcknowledgement, r => r.Attempts == 1 && r.State == OutboxState.Pending);
                // The process died while sending the notification, longer ago than any claim lasts: the row is left "sending".
                var longAgo = before.Time.GetUtcNow().UtcDateTime - TimeSpan.FromHours(1);
                await before.Factory.WithDbAsync(db => db.OutboxMessages
                    .Where(m => m.InquiryId == inquiryId && m.Kind == OutboxKind.PractitionerNotification)
                    .ExecuteUpdateAsync(s => s.SetProperty(m => m.State, OutboxState.Sending).SetProperty(m => m.LastAttemptUtc, longAgo)));
            }

            await smtp.StartAsync();
            await using var after = await MailHarness.StartAsync(f => smtp.Configure(f).WithSetting("Data:Directory", dataDirectory).WithSetting("Encryption:KeyDirectory", keyDirectory));
            // The acknowledgement waits for its back-off; the interrupted notification goes at once.
            await smtp.WaitForCountAsync(1);
            after.Time.Advance(TimeSpan.FromMinutes(1));
            await smtp.WaitForCountAsync(2);

            await after.Factory.WaitForRowAsync(inquiryId, OutboxKind.PractitionerNotification, r => r.State == OutboxState.Sent);
            await after.Factory.WaitForRowAsync(inquiryId, OutboxKind.ClientAcknowledgement, r => r.State == OutboxState.Sent);
            var rows = (await after.Factory.OutboxAsync()).Where(m => m.InquiryId == inquiryId).ToList();
            Assert.Equal(rows.Select(r => r.MessageId).Order(), smtp.Received.Select(m => m.Message.MessageId).Order());
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

    [Fact]
    public async Task A_running_app_fails_a_claim_that_ran_out_on_its_last_attempt_instead_of_trying_it_forever()
    {
        await using var mail = await MailHarness.StartAsync(
            f => f.WithSetting("Email:SendClientAcknowledgement", "false").WithSetting("Email:MaxAttempts", "2"), smtpRunning: false);
        var inquiry = await mail.Factory.SubmitAsync(ValidInquiry.Form());
        await mail.Factory.WaitForRowAsync(inquiry.Id, OutboxKind.PractitionerNotification, r => r.Attempts == 1 && r.State == OutboxState.Pending);
        await mail.Smtp.StartAsync();
        // Its last attempt was claimed and never finished (the process sending it died, and so would the next).
        var now = mail.Time.GetUtcNow().UtcDateTime;
        await mail.Factory.WithDbAsync(db => db.OutboxMessages.ExecuteUpdateAsync(s => s
            .SetProperty(m => m.State, OutboxState.Sending)
            .SetProperty(m => m.Attempts, 2)
            .SetProperty(m => m.LastAttemptUtc, now)));

        mail.Time.Advance(TimeSpan.FromMinutes(11));

        var failed = await mail.Factory.WaitForRowAsync(inquiry.Id, OutboxKind.PractitionerNotification, r => r.State == OutboxState.Failed);
        Assert.Equal(2, failed.Attempts);
        Assert.Contains("Interrupted", failed.LastError, StringComparison.Ordinal);
        Assert.Empty(mail.Smtp.Received);
    }

    [Fact]
    public async Task Recovery_puts_interrupted_rows_back_and_fails_those_out_of_attempts()
    {
        await using var mail = await MailHarness.StartAsync(
            f => f.WithSetting("Email:SendClientAcknowledgement", "false").WithSetting("Email:MaxAttempts", "2"), smtpRunning: false);
        var interrupted = await mail.Factory.SubmitAsync(ValidInquiry.Form());
        var exhausted = await mail.Factory.SubmitAsync(ValidInquiry.Form());
        var live = await mail.Factory.SubmitAsync(ValidInquiry.Form());
        await mail.Factory.WaitForRowAsync(live.Id, OutboxKind.PractitionerNotification, r => r.Attempts == 1);
        var now = mail.Time.GetUtcNow().UtcDateTime;
        await mail.Factory.WithDbAsync(db => db.OutboxMessages.ExecuteUpdateAsync(s => s
            .SetProperty(m => m.State, OutboxState.Sending)
            .SetProperty(m => m.Attempts, m => m.InquiryId == exhausted.Id ? 2 : 1)
            .SetProperty(m => m.LastAttemptUtc, m => m.InquiryId == live.Id ? now - TimeSpan.FromSeconds(30) : now - TimeSpan.FromHours(1))));

        await mail.Factory.Services.GetRequiredService<OutboxDispatcher>().RecoverAsync(CancellationToken.None);

        var rows = await mail.Factory.OutboxAsync();
        var resumed = rows.Single(r => r.InquiryId == interrupted.Id);
        Assert.Equal((OutboxState.Pending, 1, mail.Time.GetUtcNow().UtcDateTime), (resumed.State, resumed.Attempts, resumed.NextAttemptUtc));
        var failed = rows.Single(r => r.InquiryId == exhausted.Id);
        Assert.Equal(OutboxState.Failed, failed.State);
        Assert.Contains("Interrupted", failed.LastError, StringComparison.Ordinal);
        // Claimed half a minute ago: another instance may be sending it now, so it stays as it is.
        Assert.Equal(OutboxState.Sending, rows.Single(r => r.InquiryId == live.Id).State);
    }
}
