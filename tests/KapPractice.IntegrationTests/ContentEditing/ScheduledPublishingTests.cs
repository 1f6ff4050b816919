using System.Net;
using KapPractice.Web.Features.Content;
using KapPractice.Web.Infrastructure.Audit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace KapPractice.IntegrationTests.ContentEditing;

/// <summary>A scheduled article on a fake clock: invisible everywhere until its time in the practice's zone, then live and audited once.</summary>
public sealed class ScheduledPublishingTests
{
    [Fact]
    public async Task A_scheduled_article_is_invisible_on_page_list_sitemap_and_feed_until_its_time_then_appears()
    {
        // 09:00 UTC on 2 March 2026 is 04:00 in New York; she schedules 10:30 her time (15:30 UTC).
        await using var mail = await MailHarness.StartAsync();
        var (client, _) = await mail.Factory.SignedInClientAsync();
        using var scheduled = await client.PostAdminFormAsync("/admin/content/new", "/admin/content/new",
            ("Title", "Spring groups"), ("Slug", "spring-groups"), ("Author", "Leslie Portillo, LCAT, ATR-BC"), ("PublishedOn", "2026-03-02"),
            ("Summary", "Art therapy groups this spring."), ("Body", "Groups start in April."), ("Action", "Schedule"), ("PublishAt", "2026-03-02T10:30"),
            ("BaseRevision", "0"));
        Assert.Equal(HttpStatusCode.Redirect, scheduled.StatusCode);
        var item = await mail.Factory.WithDbAsync(db => db.ContentItems.AsNoTracking().SingleAsync(i => i.Slug == "spring-groups"));
        Assert.Equal(new DateTime(2026, 3, 2, 15, 30, 0, DateTimeKind.Utc), item.PublishAtUtc);

        var visitor = mail.Factory.CreateClient();
        mail.Time.Advance(TimeSpan.FromHours(6)); // 15:00 UTC: half an hour before
        await mail.Factory.Services.GetRequiredService<ContentRefresher>().TickAsync(TimeSpan.FromSeconds(2), CancellationToken.None);
        Assert.Equal(HttpStatusCode.NotFound, (await visitor.GetAsync("/articles/spring-groups")).StatusCode);
        foreach (var path in new[] { "/articles", "/", "/sitemap.xml", "/feed.xml" })
        {
            Assert.DoesNotContain("spring-groups", await visitor.GetStringAsync(path), StringComparison.Ordinal);
        }

        mail.Time.Advance(TimeSpan.FromMinutes(31)); // 15:31 UTC: the app's own timer runs the schedule
        await Eventually.TrueAsync(async () => (await visitor.GetAsync("/articles/spring-groups")).StatusCode == HttpStatusCode.OK, what: "the scheduled article to go live");

        Assert.Contains("/articles/spring-groups", await visitor.GetStringAsync("/sitemap.xml"), StringComparison.Ordinal);
        Assert.Contains("Spring groups", await visitor.GetStringAsync("/feed.xml"), StringComparison.Ordinal);
        await Eventually.TrueAsync(
            () => mail.Factory.WithDbAsync(db => db.AuditEntries.AnyAsync(a => a.Action == AuditActions.ContentPublished && a.Actor == AuditLog.ScheduleActor)),
            what: "the schedule's audit line");
        var published = await mail.Factory.WithDbAsync(db => db.ContentItems.AsNoTracking().SingleAsync(i => i.Slug == "spring-groups"));
        Assert.NotNull(published.PublishedRevisionId);
        Assert.Null(published.ScheduledRevisionId);
        Assert.Equal(1, await mail.Factory.WithDbAsync(db => db.AuditEntries.CountAsync(a => a.Action == AuditActions.ContentPublished)));
    }
}
