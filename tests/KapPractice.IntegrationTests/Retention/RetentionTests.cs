using KapPractice.Web.Infrastructure.Audit;
using System.Net;
using KapPractice.IntegrationTests.Inquiries;
using KapPractice.Web.Domain;
using KapPractice.Web.Features.Retention;
using KapPractice.Web.Features.Inquiries;
using KapPractice.Web.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Time.Testing;

namespace KapPractice.IntegrationTests.Retention;

/// <summary>
/// Inquiries arrive through the form's intake and are closed in the admin area, each on the day the fake clock
/// shows; then the clock reaches <see cref="Now"/> and the sweep runs.
/// </summary>
public class RetentionTests
{
    protected virtual DatabaseProvider Provider => DatabaseProvider.Sqlite;

    private static readonly DateTimeOffset Now = new(2027, 6, 1, 12, 0, 0, TimeSpan.Zero);

    /// <summary>The app on a clock at <paramref name="daysAgo"/> days before <see cref="Now"/>; its retention timer only when asked for, so a sweep runs when the test says.</summary>
    private (KapPracticeFactory App, FakeTimeProvider Time) AppFrom(int daysAgo, int retentionDays, bool timer = false)
    {
        var time = new FakeTimeProvider(Now.AddDays(-daysAgo));
        var app = new KapPracticeFactory { Provider = Provider }
            .WithSetting("Retention:DeleteClosedAfterDays", retentionDays.ToString(System.Globalization.CultureInfo.InvariantCulture))
            .WithSetting("Spam:MinimumFillTime", "00:00:00")
            .WithSetting("Admin:SignInPermitLimit", "1000")
            .WithServices(services =>
            {
                services.AddSingleton<TimeProvider>(time);
                if (!timer)
                {
                    services.Remove(services.Single(d => d.ServiceType == typeof(IHostedService) && d.ImplementationType == typeof(RetentionService)));
                }
            });
        return (app, time);
    }

    private static void SetDaysAgo(FakeTimeProvider time, int days) => time.SetUtcNow(Now.AddDays(-days));

    private static async Task<int> ReceiveAsync(KapPracticeFactory app, string name, InquiryForm? form = null) =>
        (await app.SubmitAsync((form ?? ValidInquiry.Form()) with { FullName = name })).Id;

    /// <summary>What the practitioner does on the inquiry's page, signed in at the clock's time.</summary>
    private static async Task OnInquiryPageAsync(KapPracticeFactory app, int id, string action, params (string Name, string Value)[] values)
    {
        var (client, _) = await app.SignedInClientAsync();
        using var response = await client.PostAdminFormAsync($"/admin/inquiries/{id}", action, values);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
    }

    private static Task SetStatusAsync(KapPracticeFactory app, int id, InquiryStatus status) =>
        OnInquiryPageAsync(app, id, "/status", ("status", status.ToString()));

    private static async Task<int> SweepAsync(KapPracticeFactory app)
    {
        await using var scope = app.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<RetentionSweeper>().SweepAsync(CancellationToken.None);
    }

    [Fact]
    public async Task The_stored_inquiry_limits_permits_go_once_their_window_is_over_even_with_retention_off()
    {
        var (app, time) = AppFrom(daysAgo: 1, retentionDays: 0);
        await using var _ = app;
        using var posted = await app.NewClient().SubmitInquiryAsync(InquiryForms.Valid(email: "permit@example.com"));
        InquiryForms.AssertRedirectedToConfirmation(posted);
        Assert.Single(await app.WithDbAsync(db => db.InquiryPermits.ToListAsync()));

        time.Advance(TimeSpan.FromMinutes(9));
        await SweepAsync(app);
        Assert.Single(await app.WithDbAsync(db => db.InquiryPermits.ToListAsync()));

        time.Advance(TimeSpan.FromMinutes(2));
        await SweepAsync(app);
        Assert.Empty(await app.WithDbAsync(db => db.InquiryPermits.ToListAsync()));
    }

    [Fact]
    public async Task Deletes_only_closed_inquiries_older_than_the_setting_with_their_emails_and_notes()
    {
        var (app, time) = AppFrom(daysAgo: 410, retentionDays: 30);
        await using var _ = app;
        var oldOpen = await ReceiveAsync(app, "old contacted");
        var oldReferred = await ReceiveAsync(app, "old referred");
        SetDaysAgo(time, 400);
        await SetStatusAsync(app, oldOpen, InquiryStatus.Contacted);
        await SetStatusAsync(app, oldReferred, InquiryStatus.ReferredOut);
        SetDaysAgo(time, 41);
        var oldClosed = await ReceiveAsync(app, "old closed");
        await OnInquiryPageAsync(app, oldClosed, "/notes", ("text", "note"));
        var recentClosed = await ReceiveAsync(app, "recent closed");
        SetDaysAgo(time, 31);
        await SetStatusAsync(app, oldClosed, InquiryStatus.Closed);
        SetDaysAgo(time, 29);
        await SetStatusAsync(app, recentClosed, InquiryStatus.Closed);
        SetDaysAgo(time, 0);
        Assert.True(await app.WithDbAsync(db => db.OutboxMessages.AnyAsync(m => m.InquiryId == oldClosed)));
        Assert.True(await app.WithDbAsync(db => db.InquiryNotes.AnyAsync(n => n.InquiryId == oldClosed)));

        var deleted = await SweepAsync(app);

        Assert.Equal(1, deleted);
        var remaining = await app.WithDbAsync(db => db.Inquiries.Select(i => i.Id).ToListAsync());
        Assert.Equal([oldOpen, oldReferred, recentClosed], remaining.Order());
        Assert.False(await app.WithDbAsync(db => db.OutboxMessages.AnyAsync(m => m.InquiryId == oldClosed)));
        Assert.False(await app.WithDbAsync(db => db.InquiryNotes.AnyAsync(n => n.InquiryId == oldClosed)));
        // The urgent-reminder check's rows belong to no inquiry (docs/practitioner-guide.md).
        var kept = await app.WithDbAsync(db => db.OutboxMessages.Where(m => m.InquiryId != null).Select(m => m.InquiryId).Distinct().ToListAsync());
        Assert.Equal([oldOpen, oldReferred, recentClosed], kept.Order());
        var audit = await app.WithDbAsync(db => db.AuditEntries.Where(e => e.Action == AuditActions.RetentionDeleted).ToListAsync());
        Assert.All(audit, e => Assert.Equal(AuditLog.RetentionActor, e.Actor));
        Assert.Contains(audit, e => e.InquiryId == oldClosed);
        Assert.Contains(audit, e => e.InquiryId == null && e.Detail == "rows: 1");
        Assert.All(audit, e => Assert.Equal(Now.UtcDateTime, e.OccurredUtc));
    }

    [Fact]
    public async Task Zero_days_keeps_closed_inquiries_forever()
    {
        var (app, time) = AppFrom(daysAgo: 5010, retentionDays: 0);
        await using var _ = app;
        var ancient = await ReceiveAsync(app, "ancient closed");
        SetDaysAgo(time, 5000);
        await SetStatusAsync(app, ancient, InquiryStatus.Closed);
        SetDaysAgo(time, 0);

        var deleted = await SweepAsync(app);

        Assert.Equal(0, deleted);
        Assert.Equal(1, await app.WithDbAsync(db => db.Inquiries.CountAsync()));
        Assert.False(await app.WithDbAsync(db => db.AuditEntries.AnyAsync(e => e.Action == AuditActions.RetentionDeleted)));
    }

    [Fact]
    public async Task The_background_service_sweeps_when_the_interval_passes()
    {
        var (app, time) = AppFrom(daysAgo: 41, retentionDays: 30, timer: true);
        await using var _ = app;
        var oldClosed = await ReceiveAsync(app, "swept by the timer");
        SetDaysAgo(time, 31);
        await SetStatusAsync(app, oldClosed, InquiryStatus.Closed);

        SetDaysAgo(time, 0);

        // The sweep runs on the host's own task after the tick.
        await Eventually.TrueAsync(
            async () => !await app.WithDbAsync(db => db.Inquiries.AnyAsync(i => i.Id == oldClosed)),
            what: "the timer's sweep to delete the old closed inquiry");
    }

    [Fact]
    public async Task Deletes_suspected_spam_received_before_the_retention_period_whatever_its_status()
    {
        var (app, time) = AppFrom(daysAgo: 400, retentionDays: 30);
        await using var _ = app;
        var spam = ValidInquiry.Form() with { Website = "https://spam.example" };
        var oldGenuine = await ReceiveAsync(app, "old genuine");
        SetDaysAgo(time, 31);
        var oldSpam = await ReceiveAsync(app, "old spam", spam);
        await OnInquiryPageAsync(app, oldSpam, "/notes", ("text", "note"));
        SetDaysAgo(time, 29);
        var recentSpam = await ReceiveAsync(app, "recent spam", spam);
        SetDaysAgo(time, 0);

        var deleted = await SweepAsync(app);

        Assert.Equal(1, deleted);
        var remaining = await app.WithDbAsync(db => db.Inquiries.Select(i => i.Id).ToListAsync());
        Assert.Equal([oldGenuine, recentSpam], remaining.Order());
        Assert.False(await app.WithDbAsync(db => db.InquiryNotes.AnyAsync(n => n.InquiryId == oldSpam)));
        var audit = await app.WithDbAsync(db => db.AuditEntries.Where(e => e.Action == AuditActions.RetentionDeleted).ToListAsync());
        Assert.Contains(audit, e => e.InquiryId == oldSpam && e.Actor == AuditLog.RetentionActor && e.Detail == "suspected spam over 30 days");
        Assert.Contains(audit, e => e.InquiryId == null && e.Detail == "rows: 1");
    }

    [Fact]
    public async Task The_sweep_deletes_the_pickup_folder_copies_of_the_emails_it_deletes()
    {
        var (app, time) = AppFrom(daysAgo: 41, retentionDays: 30);
        await using var _ = app;
        var expired = await ReceiveAsync(app, "expired");
        var kept = await ReceiveAsync(app, "kept", ValidInquiry.With(i => i.Email = "kept@client.test"));
        var rows = await app.OutboxAsync();
        // Every file of the inquiry's outbox rows: sealed, plain or half-written.
        string[] CopiesOf(int inquiryId) => PickupFiles.Of(app, rows.Where(r => r.InquiryId == inquiryId).Select(r => r.Id));
        string[] WholeCopiesOf(int inquiryId) => PickupFiles.MessagesOf(app, rows.Where(r => r.InquiryId == inquiryId).Select(r => r.Id));
        await Eventually.TrueAsync(() => Task.FromResult(WholeCopiesOf(expired).Length == 2 && WholeCopiesOf(kept).Length == 2),
            what: "both inquiries' emails in the pickup folder");
        SetDaysAgo(time, 31);
        await SetStatusAsync(app, expired, InquiryStatus.Closed);
        SetDaysAgo(time, 0);

        Assert.Equal(1, await SweepAsync(app));

        Assert.Empty(CopiesOf(expired));
        Assert.Equal(2, CopiesOf(kept).Length);
    }

    [Fact]
    public async Task Each_instances_timer_deletes_its_pickup_files_of_an_inquiry_another_instance_deleted()
    {
        var (app, time) = AppFrom(daysAgo: 0, retentionDays: 30, timer: true);
        await using var _ = app;
        var elsewhere = await ReceiveAsync(app, "deleted on another instance");
        var kept = await ReceiveAsync(app, "kept", ValidInquiry.With(i => i.Email = "kept@client.test"));
        await Eventually.TrueAsync(async () => (await app.OutboxAsync()).All(r => r.State == OutboxState.Sent), what: "every email written");
        var rows = await app.OutboxAsync();
        string[] CopiesOf(int inquiryId) => PickupFiles.Of(app, rows.Where(r => r.InquiryId == inquiryId).Select(r => r.Id));
        Assert.Equal((2, 2), (CopiesOf(elsewhere).Length, CopiesOf(kept).Length));

        // What another instance on the same database with a data folder of its own (PostgreSQL) does when it deletes the
        // inquiry: the rows go for every instance, the files only from its own folder, so this one's stay.
        await app.WithDbAsync(db => db.Inquiries.Where(i => i.Id == elsewhere).ExecuteDeleteAsync());
        Assert.Equal(2, CopiesOf(elsewhere).Length);

        time.Advance(TimeSpan.FromHours(1));

        await Eventually.TrueAsync(() => Task.FromResult(CopiesOf(elsewhere).Length == 0), what: "this instance's timer to delete the files whose rows are gone");
        Assert.Equal(2, CopiesOf(kept).Length);
    }
}

/// <summary>The same on PostgreSQL.</summary>
public sealed class RetentionTestsOnPostgreSql : RetentionTests
{
    protected override DatabaseProvider Provider => DatabaseProvider.PostgreSql;
}
