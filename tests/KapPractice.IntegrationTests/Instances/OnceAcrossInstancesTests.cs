using AngleSharp.Dom;
using KapPractice.IntegrationTests.Booking;
using KapPractice.IntegrationTests.FollowUp;
using KapPractice.Web.Domain;
using KapPractice.Web.Features.Booking;
using KapPractice.Web.Features.FollowUp;
using KapPractice.Web.Features.Replies;
using KapPractice.Web.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace KapPractice.IntegrationTests.Instances;

/// <summary>
/// What two instances (or two clicks) may both try at the same moment happens once: the day's digest, a booking's
/// reminder, seeding the default templates, resending a notification (and on PostgreSQL, a slot).
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

    [Fact]
    public async Task The_default_templates_seeded_by_instances_starting_at_once_are_seeded_once_and_none_fails()
    {
        await using var mail = await MailHarness.StartAsync(provider: Provider);
        // As before the first start: no templates and no record of seeding them.
        await mail.Factory.WithDbAsync(async db =>
        {
            await db.ReplyTemplates.ExecuteDeleteAsync();
            return await db.DataSeeds.ExecuteDeleteAsync();
        });
        var now = mail.Time.GetUtcNow().UtcDateTime;

        await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Task.Run(async () =>
        {
            await using var scope = mail.Factory.Services.CreateAsyncScope();
            await DefaultReplyTemplates.SeedAsync(scope.ServiceProvider.GetRequiredService<Web.Infrastructure.Data.KapDbContext>(), now, CancellationToken.None);
        })));

        var names = await mail.Factory.WithDbAsync(db => db.ReplyTemplates.Select(t => t.Name).ToListAsync());
        Assert.Equal(DefaultReplyTemplates.All.Select(t => t.Name).Order(), names.Order());
    }

    [Fact]
    public async Task Two_resends_of_a_failed_notification_at_once_queue_one()
    {
        await using var mail = await MailHarness.StartAsync(f => f.WithSetting("Email:SendClientAcknowledgement", "false"), provider: Provider);
        mail.Smtp.RefuseNext(1, 550, "5.7.1 Refused");
        var inquiry = await mail.Factory.SubmitAsync(ValidInquiry.Form());
        await mail.Factory.WaitForRowAsync(inquiry.Id, OutboxKind.PractitionerNotification, r => r.State == OutboxState.Failed);
        var (client, _) = await mail.Factory.SignedInClientAsync();
        var page = await client.GetDocumentAsync($"/admin/inquiries/{inquiry.Id}");
        var token = page.QuerySelector<AngleSharp.Html.Dom.IHtmlInputElement>("input[name='__RequestVerificationToken']")!.Value;

        async Task<System.Net.HttpStatusCode> ResendAsync()
        {
            using var content = new FormUrlEncodedContent([new("__RequestVerificationToken", token)]);
            using var response = await client.PostAsync(new Uri($"/admin/inquiries/{inquiry.Id}/resend", UriKind.Relative), content);
            return response.StatusCode;
        }

        var codes = await Task.WhenAll(ResendAsync(), ResendAsync());

        Assert.All(codes, c => Assert.Equal(System.Net.HttpStatusCode.Redirect, c));
        await mail.Smtp.WaitForCountAsync(1);
        var rows = await mail.Factory.RowsOfKindAsync(OutboxKind.PractitionerNotification);
        Assert.Equal(2, rows.Count);
        await Task.Delay(TimeSpan.FromSeconds(1));
        Assert.Single(mail.Smtp.Received);
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
