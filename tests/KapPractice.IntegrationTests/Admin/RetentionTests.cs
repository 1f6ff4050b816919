using KapPractice.Web.Features.Admin;
using KapPractice.Web.Domain;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace KapPractice.IntegrationTests.Admin;

public sealed class RetentionTests
{
    private static readonly DateTimeOffset Now = new(2027, 6, 1, 12, 0, 0, TimeSpan.Zero);

    private static KapPracticeFactory AppAt(FakeTimeProvider time, int days) => new KapPracticeFactory()
        .WithSetting("Retention:DeleteClosedAfterDays", days.ToString(System.Globalization.CultureInfo.InvariantCulture))
        .WithServices(services => services.AddSingleton<TimeProvider>(time));

    private static Inquiry Aged(InquiryStatus status, int daysSinceChange, string name) => TestInquiries.Build(i =>
    {
        i.FullName = name;
        i.Status = status;
        i.ReceivedUtc = Now.UtcDateTime.AddDays(-daysSinceChange - 10);
        i.StatusChangedUtc = Now.UtcDateTime.AddDays(-daysSinceChange);
        i.OutboxMessages.Add(TestInquiries.Notification(OutboxState.Sent, i.ReceivedUtc));
        i.Notes.Add(new InquiryNote { Author = "leslie@example.org", Text = "note", CreatedUtc = i.ReceivedUtc });
    });

    private static async Task<int> SweepAsync(KapPracticeFactory app)
    {
        await using var scope = app.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<RetentionSweeper>().SweepAsync(CancellationToken.None);
    }

    [Fact]
    public async Task Deletes_only_closed_inquiries_older_than_the_setting_with_their_emails_and_notes()
    {
        var time = new FakeTimeProvider(Now);
        await using var app = AppAt(time, days: 30);
        var oldClosed = await app.AddAsync(Aged(InquiryStatus.Closed, 31, "old closed"));
        var recentClosed = await app.AddAsync(Aged(InquiryStatus.Closed, 29, "recent closed"));
        var oldOpen = await app.AddAsync(Aged(InquiryStatus.Contacted, 400, "old contacted"));
        var oldReferred = await app.AddAsync(Aged(InquiryStatus.ReferredOut, 400, "old referred"));

        var deleted = await SweepAsync(app);

        Assert.Equal(1, deleted);
        var remaining = await app.WithDbAsync(db => db.Inquiries.Select(i => i.Id).ToListAsync());
        Assert.Equal([recentClosed, oldOpen, oldReferred], remaining.Order());
        Assert.False(await app.WithDbAsync(db => db.OutboxMessages.AnyAsync(m => m.InquiryId == oldClosed)));
        Assert.False(await app.WithDbAsync(db => db.InquiryNotes.AnyAsync(n => n.InquiryId == oldClosed)));
        Assert.Equal(3, await app.WithDbAsync(db => db.OutboxMessages.CountAsync()));
        var audit = await app.WithDbAsync(db => db.AuditEntries.Where(e => e.Action == AuditActions.RetentionDeleted).ToListAsync());
        Assert.All(audit, e => Assert.Equal(AuditLog.RetentionActor, e.Actor));
        Assert.Contains(audit, e => e.InquiryId == oldClosed);
        Assert.Contains(audit, e => e.InquiryId == null && e.Detail == "rows: 1");
        Assert.All(audit, e => Assert.Equal(Now.UtcDateTime, e.OccurredUtc));
    }

    [Fact]
    public async Task Zero_days_keeps_closed_inquiries_forever()
    {
        var time = new FakeTimeProvider(Now);
        await using var app = AppAt(time, days: 0);
        await app.AddAsync(Aged(InquiryStatus.Closed, 5000, "ancient closed"));

        var deleted = await SweepAsync(app);

        Assert.Equal(0, deleted);
        Assert.Equal(1, await app.WithDbAsync(db => db.Inquiries.CountAsync()));
        Assert.False(await app.WithDbAsync(db => db.AuditEntries.AnyAsync(e => e.Action == AuditActions.RetentionDeleted)));
    }

    [Fact]
    public async Task The_background_service_sweeps_when_the_interval_passes()
    {
        var time = new FakeTimeProvider(Now);
        await using var app = AppAt(time, days: 30);
        var oldClosed = await app.AddAsync(Aged(InquiryStatus.Closed, 31, "swept by the timer"));

        time.Advance(TimeSpan.FromHours(1));

        // The sweep runs on the host's own task after the tick.
        await Eventually.TrueAsync(
            async () => !await app.WithDbAsync(db => db.Inquiries.AnyAsync(i => i.Id == oldClosed)),
            what: "the timer's sweep to delete the old closed inquiry");
    }

    [Fact]
    public async Task Deletes_suspected_spam_received_before_the_retention_period_whatever_its_status()
    {
        var time = new FakeTimeProvider(Now);
        await using var app = AppAt(time, days: 30);
        Inquiry Spam(int daysSinceReceived, string name) => TestInquiries.Build(i =>
        {
            i.FullName = name;
            i.IsSuspectedSpam = true;
            i.SpamReason = "Filled in too fast";
            i.ReceivedUtc = Now.UtcDateTime.AddDays(-daysSinceReceived);
            i.StatusChangedUtc = i.ReceivedUtc;
            i.Notes.Add(new InquiryNote { Author = "leslie@example.org", Text = "note", CreatedUtc = i.ReceivedUtc });
        });
        var oldSpam = await app.AddAsync(Spam(31, "old spam"));
        var recentSpam = await app.AddAsync(Spam(29, "recent spam"));
        var oldGenuine = await app.AddAsync(Aged(InquiryStatus.New, 400, "old genuine"));

        var deleted = await SweepAsync(app);

        Assert.Equal(1, deleted);
        var remaining = await app.WithDbAsync(db => db.Inquiries.Select(i => i.Id).ToListAsync());
        Assert.Equal([recentSpam, oldGenuine], remaining.Order());
        Assert.False(await app.WithDbAsync(db => db.InquiryNotes.AnyAsync(n => n.InquiryId == oldSpam)));
        var audit = await app.WithDbAsync(db => db.AuditEntries.Where(e => e.Action == AuditActions.RetentionDeleted).ToListAsync());
        Assert.Contains(audit, e => e.InquiryId == oldSpam && e.Actor == AuditLog.RetentionActor && e.Detail == "suspected spam over 30 days");
        Assert.Contains(audit, e => e.InquiryId == null && e.Detail == "rows: 1");
    }

    [Fact]
    public async Task The_sweep_deletes_the_pickup_folder_copies_of_the_emails_it_deletes()
    {
        var time = new FakeTimeProvider(Now);
        await using var app = AppAt(time, days: 30);
        var expired = await app.SubmitAsync(TestInquiries.Valid());
        var kept = await app.SubmitAsync(TestInquiries.Valid(i => i.Email = "kept@client.test"));
        var rows = await app.OutboxAsync();
        var pickup = Path.Combine(app.DataDirectory, "mail-pickup");
        string[] CopiesOf(int inquiryId) => [.. rows.Where(r => r.InquiryId == inquiryId)
            .SelectMany(r => Directory.GetFiles(pickup, $"*-{r.Id}.eml"))];
        await Eventually.TrueAsync(() => Task.FromResult(CopiesOf(expired.Id).Length == 2 && CopiesOf(kept.Id).Length == 2),
            what: "both inquiries' emails in the pickup folder");
        await app.WithDbAsync(db => db.Inquiries.Where(i => i.Id == expired.Id).ExecuteUpdateAsync(u => u
            .SetProperty(i => i.Status, InquiryStatus.Closed)
            .SetProperty(i => i.StatusChangedUtc, Now.UtcDateTime.AddDays(-31))));

        Assert.Equal(1, await SweepAsync(app));

        Assert.Empty(CopiesOf(expired.Id));
        Assert.Equal(2, CopiesOf(kept.Id).Length);
    }
}
