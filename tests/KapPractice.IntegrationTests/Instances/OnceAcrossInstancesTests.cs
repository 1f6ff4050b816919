using KapPractice.IntegrationTests.Booking;
using KapPractice.IntegrationTests.FollowUp;
using KapPractice.Web.Domain;
using KapPractice.Web.Features.Booking;
using KapPractice.Web.Features.FollowUp;
using KapPractice.Web.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace KapPractice.IntegrationTests.Instances;

/// <summary>
/// What two instances may both try at the same moment happens once: the day's digest, a booking's reminder (and on
/// PostgreSQL, a slot: its unique index refuses in its own words).
/// Each check runs in several scopes at once, as two instances' timers would (the app's own timer may join in).
/// </summary>
public abstract class OnceAcrossInstancesTests
{
    protected abstract DatabaseProvider Provider { get; }

    private static async Task RunAtOnceAsync<TCheck>(MailHarness mail, Func<TCheck, Task> check)
        where TCheck : notnull
    {
        async Task RunAsync()
        {
            await using var scope = mail.Factory.Services.CreateAsyncScope();
            await check(scope.ServiceProvider.GetRequiredService<TCheck>());
        }

        await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Task.Run(RunAsync)));
    }

    [Fact]
    public async Task The_days_digest_checked_by_several_instances_at_once_is_queued_once_and_fails_none()
    {
        await using var mail = await MailHarness.StartAsync(
            f => f.WithSetting("Email:SendClientAcknowledgement", "false"), startTime: FollowUpSupport.MondayNineNewYork.AddHours(-1), provider: Provider);
        await mail.Factory.SubmitAsync(ValidInquiry.Form());
        mail.Time.SetUtcNow(FollowUpSupport.MondayNineNewYork.AddSeconds(30));

        await RunAtOnceAsync<FollowUpChecks>(mail, checks => checks.QueueDigestIfDueAsync(CancellationToken.None));

        Assert.Single(await mail.Factory.RowsOfKindAsync(OutboxKind.PractitionerDigest));
        await mail.Smtp.WaitForAsync(smtp => smtp.Digests().Count == 1);
    }

    [Fact]
    public async Task A_bookings_reminder_queued_by_several_instances_at_once_is_queued_once()
    {
        var now = BookingTestSupport.NextMonday();
        await using var mail = await BookingTestSupport.StartAsync(now, provider: Provider);
        var (_, path) = await mail.InquiryWithLinkAsync();
        var client = mail.Factory.CreateHttpsClient();
        var slot = BookingTestSupport.OfferedTimes(await client.GetDocumentAsync(path)).First(t => t > now.UtcDateTime.AddDays(3));
        using (await client.ChooseAsync(path, slot))
        {
        }

        mail.Time.SetUtcNow(new DateTimeOffset(slot.AddDays(-1).AddMinutes(1), TimeSpan.Zero));
        await RunAtOnceAsync<BookingReminders>(mail, reminders => reminders.QueueDueAsync(CancellationToken.None));

        Assert.Equal(1, await mail.Factory.WithDbAsync(db => db.OutboxMessages.CountAsync(m => m.Kind == OutboxKind.BookingReminderToClient)));
        await mail.Smtp.WaitForAsync(_ => mail.To("alex@example.com").Any(m => m.Message.Subject?.StartsWith("Reminder:", StringComparison.Ordinal) == true));
    }
}

public sealed class OnceAcrossInstancesOnSqliteTests : OnceAcrossInstancesTests
{
    protected override DatabaseProvider Provider => DatabaseProvider.Sqlite;
}

public sealed class OnceAcrossInstancesOnPostgreSqlTests : OnceAcrossInstancesTests
{
    protected override DatabaseProvider Provider => DatabaseProvider.PostgreSql;

    [Fact]
    public Task Twenty_clients_choosing_one_time_at_once_get_one_booking_and_no_server_error() =>
        BookingTests.TwentyClientsChooseOneTimeAsync(Provider);
}
