using KapPractice.Web.Features.Admin;
using KapPractice.Web.Infrastructure.Data;
using KapPractice.Web.Infrastructure.Email;
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

        // The sweep runs on the host's own task after the tick; wait for its audit line, bounded.
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (await app.WithDbAsync(db => db.Inquiries.AnyAsync(i => i.Id == oldClosed)) && DateTime.UtcNow < deadline)
        {
            await Task.Yield();
        }

        Assert.False(await app.WithDbAsync(db => db.Inquiries.AnyAsync(i => i.Id == oldClosed)));
    }
}
