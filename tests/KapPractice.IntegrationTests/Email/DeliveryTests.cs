using KapPractice.Web.Domain;
using KapPractice.Web.Infrastructure;
using KapPractice.Web.Infrastructure.Outbox;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace KapPractice.IntegrationTests.Email;

/// <summary>Nothing is lost when the mail server is away, refuses, or the app restarts mid-way.</summary>
public class DeliveryTests
{
    protected virtual DatabaseProvider Provider => DatabaseProvider.Sqlite;

    [Fact]
    public async Task With_the_mail_server_down_the_inquiry_is_kept_retried_and_delivered_exactly_once_when_it_returns()
    {
        await using var mail = await MailHarness.StartAsync(provider: Provider, configure: f => f.WithSetting("Email:SendClientAcknowledgement", "false"), smtpRunning: false);
        var start = mail.Time.GetUtcNow().UtcDateTime;

        var inquiry = await mail.Factory.SubmitAsync(ValidInquiry.Form());

        var first = await mail.Factory.WaitForRowAsync(inquiry.Id, OutboxKind.PractitionerNotification, r => r.Attempts == 1 && r.State == OutboxState.Pending);
        Assert.NotNull(first.LastError);
        Assert.InRange(first.NextAttemptUtc, start + TimeSpan.FromSeconds(24), start + TimeSpan.FromSeconds(36));
        Assert.Equal(1, await mail.Factory.WithDbAsync(db => db.Inquiries.CountAsync()));

        mail.Time.Advance(TimeSpan.FromSeconds(40));
        var second = await mail.Factory.WaitForRowAsync(inquiry.Id, OutboxKind.PractitionerNotification, r => r.Attempts == 2 && r.State == OutboxState.Pending);
        var now = mail.Time.GetUtcNow().UtcDateTime;
        Assert.InRange(second.NextAttemptUtc, now + TimeSpan.FromSeconds(96), now + TimeSpan.FromSeconds(144));

        await mail.Smtp.StartAsync();
        mail.Time.Advance(TimeSpan.FromMinutes(3));
        await mail.Smtp.WaitForCountAsync(1);
        var sent = await mail.Factory.WaitForRowAsync(inquiry.Id, OutboxKind.PractitionerNotification, r => r.State == OutboxState.Sent);
        Assert.Equal(3, sent.Attempts);
        Assert.Null(sent.LastError);

        // Much later, a second inquiry: once it has arrived, any repeat of the first would have too.
        mail.Time.Advance(TimeSpan.FromHours(12));
        var later = await mail.Factory.SubmitAsync(ValidInquiry.Form());
        await mail.Factory.WaitForRowAsync(later.Id, OutboxKind.PractitionerNotification, r => r.State == OutboxState.Sent);
        Assert.Single(mail.Smtp.Received, m => m.Message.MessageId == sent.MessageId);
        // The twelve hours pass 09:00 in New York, so the day's digest may be among them: only notifications count here.
        Assert.Equal(2, mail.Smtp.Received.Count(m => m.Message.Subject?.StartsWith("New inquiry #", StringComparison.Ordinal) == true));
    }

    [Fact]
    public async Task A_permanent_refusal_marks_the_row_failed_with_the_reason_and_it_is_not_retried()
    {
        await using var mail = await MailHarness.StartAsync(provider: Provider, configure: f => f.WithSetting("Email:SendClientAcknowledgement", "false"));
        mail.Smtp.RefuseNext(1, 550, "5.1.1 Mailbox does not exist");

        var inquiry = await mail.Factory.SubmitAsync(ValidInquiry.Form());

        var row = await mail.Factory.WaitForRowAsync(inquiry.Id, OutboxKind.PractitionerNotification, r => r.State == OutboxState.Failed);
        Assert.Equal(1, row.Attempts);
        Assert.Contains("550", row.LastError, StringComparison.Ordinal);
        Assert.Contains("Mailbox does not exist", row.LastError, StringComparison.Ordinal);

        mail.Time.Advance(TimeSpan.FromDays(1));
        var later = await mail.Factory.SubmitAsync(ValidInquiry.Form());
        await mail.Factory.WaitForRowAsync(later.Id, OutboxKind.PractitionerNotification, r => r.State == OutboxState.Sent);
        Assert.DoesNotContain(mail.Smtp.Received, m => m.Message.MessageId == row.MessageId);
        Assert.Equal(OutboxState.Failed, (await mail.Factory.OutboxRowAsync(inquiry.Id, OutboxKind.PractitionerNotification)).State);
    }

    [Fact]
    public async Task A_temporary_refusal_is_retried_after_the_back_off()
    {
        await using var mail = await MailHarness.StartAsync(provider: Provider, configure: f => f.WithSetting("Email:SendClientAcknowledgement", "false"));
        mail.Smtp.RefuseNext(1, 451, "4.3.0 Try again later");

        var inquiry = await mail.Factory.SubmitAsync(ValidInquiry.Form());

        var waiting = await mail.Factory.WaitForRowAsync(inquiry.Id, OutboxKind.PractitionerNotification, r => r.Attempts == 1 && r.State == OutboxState.Pending);
        Assert.Contains("451", waiting.LastError, StringComparison.Ordinal);
        Assert.Empty(mail.Smtp.Received);

        mail.Time.Advance(TimeSpan.FromSeconds(40));

        var received = await mail.Smtp.WaitForCountAsync(1);
        Assert.Equal(waiting.MessageId, Assert.Single(received).Message.MessageId);
        var sent = await mail.Factory.WaitForRowAsync(inquiry.Id, OutboxKind.PractitionerNotification, r => r.State == OutboxState.Sent);
        Assert.Equal(2, sent.Attempts);
    }

    [Fact]
    public async Task After_the_last_attempt_the_row_is_failed_with_the_reason()
    {
        await using var mail = await MailHarness.StartAsync(provider: Provider, configure:
            f => f.WithSetting("Email:SendClientAcknowledgement", "false").WithSetting("Email:MaxAttempts", "3"),
            smtpRunning: false);

        var inquiry = await mail.Factory.SubmitAsync(ValidInquiry.Form());
        for (var attempt = 1; attempt < 3; attempt++)
        {
            await mail.Factory.WaitForRowAsync(inquiry.Id, OutboxKind.PractitionerNotification, r => r.Attempts == attempt && r.State == OutboxState.Pending);
            mail.Time.Advance(TimeSpan.FromMinutes(15));
        }

        var failed = await mail.Factory.WaitForRowAsync(inquiry.Id, OutboxKind.PractitionerNotification, r => r.State == OutboxState.Failed);
        Assert.Equal(3, failed.Attempts);
        Assert.StartsWith("Gave up after 3 attempts.", failed.LastError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_server_that_never_answers_times_out_and_the_row_waits_for_a_retry()
    {
        // Accepts the connection but never sends a greeting.
        using var silent = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        silent.Start();
        var port = ((System.Net.IPEndPoint)silent.LocalEndpoint).Port;
        await using var mail = await MailHarness.StartAsync(provider: Provider, configure: f => f
            .WithSetting("Email:SendClientAcknowledgement", "false")
            .WithSetting("Email:Smtp:Port", port.ToString(System.Globalization.CultureInfo.InvariantCulture))
            .WithSetting("Email:Smtp:Timeout", "00:00:01"));

        var inquiry = await mail.Factory.SubmitAsync(ValidInquiry.Form());

        var row = await mail.Factory.WaitForRowAsync(inquiry.Id, OutboxKind.PractitionerNotification, r => r.Attempts == 1 && r.State == OutboxState.Pending);
        Assert.Contains("time", row.LastError, StringComparison.OrdinalIgnoreCase);
        Assert.True(row.NextAttemptUtc > mail.Time.GetUtcNow().UtcDateTime);
    }
}

/// <summary>The same on PostgreSQL.</summary>
public sealed class DeliveryTestsOnPostgreSql : DeliveryTests
{
    protected override DatabaseProvider Provider => DatabaseProvider.PostgreSql;
}
