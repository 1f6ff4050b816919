using KapPractice.Web.Domain;
using KapPractice.Web.Infrastructure.Outbox;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace KapPractice.IntegrationTests.Email;

/// <summary>
/// A restart on SQLite, where one process owns the file, puts back at once what a crash left "sending". (On a shared
/// PostgreSQL database only claims older than the lease are taken back: MultiInstanceTests.)
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
                // The process dies while sending the notification: the row is left "sending".
                await before.Factory.WithDbAsync(db => db.OutboxMessages
                    .Where(m => m.InquiryId == inquiryId && m.Kind == OutboxKind.PractitionerNotification)
                    .ExecuteUpdateAsync(s => s.SetProperty(m => m.State, OutboxState.Sending)));
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
    public async Task Recovery_puts_interrupted_rows_back_and_fails_those_out_of_attempts()
    {
        await using var mail = await MailHarness.StartAsync(
            f => f.WithSetting("Email:SendClientAcknowledgement", "false").WithSetting("Email:MaxAttempts", "2"), smtpRunning: false);
        var interrupted = await mail.Factory.SubmitAsync(ValidInquiry.Form());
        var exhausted = await mail.Factory.SubmitAsync(ValidInquiry.Form());
        await mail.Factory.WaitForRowAsync(exhausted.Id, OutboxKind.PractitionerNotification, r => r.Attempts == 1);
        await mail.Factory.WithDbAsync(db => db.OutboxMessages.ExecuteUpdateAsync(s => s
            .SetProperty(m => m.State, OutboxState.Sending)
            .SetProperty(m => m.Attempts, m => m.InquiryId == exhausted.Id ? 2 : 1)));

        await mail.Factory.Services.GetRequiredService<OutboxDispatcher>().RecoverAsync(CancellationToken.None);

        var rows = await mail.Factory.OutboxAsync();
        var resumed = rows.Single(r => r.InquiryId == interrupted.Id);
        Assert.Equal((OutboxState.Pending, 1, mail.Time.GetUtcNow().UtcDateTime), (resumed.State, resumed.Attempts, resumed.NextAttemptUtc));
        var failed = rows.Single(r => r.InquiryId == exhausted.Id);
        Assert.Equal(OutboxState.Failed, failed.State);
        Assert.Contains("Interrupted", failed.LastError, StringComparison.Ordinal);
    }
}
