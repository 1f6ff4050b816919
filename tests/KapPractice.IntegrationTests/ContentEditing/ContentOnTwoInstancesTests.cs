using System.Net;
using KapPractice.Web.Domain;
using KapPractice.Web.Features.Content;
using KapPractice.Web.Infrastructure;
using KapPractice.Web.Infrastructure.Data;
using Microsoft.EntityFrameworkCore;

namespace KapPractice.IntegrationTests.ContentEditing;

/// <summary>Two instances of the site on one PostgreSQL database, as deployed behind Caddy: what she publishes on one is live on both.</summary>
public sealed class ContentOnTwoInstancesTests
{
    [Fact]
    public async Task An_article_published_and_renamed_on_one_instance_is_live_on_the_other_within_seconds_and_its_bio_fix_too()
    {
        var (first, second) = TwoInstances();
        await using var _ = first;
        await using var __ = second;
        var visitor = second.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        // The other instance has the pages cached, as a busy site would.
        Assert.Equal(HttpStatusCode.NotFound, (await visitor.GetAsync("/articles/on-grief-and-art")).StatusCode);
        var aboutBefore = await visitor.GetStringAsync("/about");

        var (admin, _) = await first.SignedInClientAsync();
        using var published = await admin.PostAdminFormAsync("/admin/content/new", "/admin/content/new",
            ("Title", "On grief and art"), ("Slug", "on-grief-and-art"), ("Author", "Leslie Portillo, LCAT, ATR-BC"), ("PublishedOn", "2026-12-01"),
            ("Summary", "How art-making helps with grief."), ("Body", "Making things can hold what words cannot."), ("Action", "Publish"), ("BaseRevision", "0"));
        Assert.Equal(HttpStatusCode.Redirect, published.StatusCode);

        await Eventually.TrueAsync(async () => (await visitor.GetAsync("/articles/on-grief-and-art")).StatusCode == HttpStatusCode.OK, what: "the other instance to show the article");
        Assert.Contains("/articles/on-grief-and-art", await visitor.GetStringAsync("/sitemap.xml"), StringComparison.Ordinal);

        var about = await first.WithDbAsync(db => db.ContentItems.AsNoTracking().Include(i => i.Revisions).SingleAsync(i => i.Kind == ContentKind.Page && i.Slug == SitePages.About));
        var bio = about.Revisions.OrderBy(r => r.Number).Last();
        using var fixedBio = await admin.PostAdminFormAsync($"/admin/content/{about.Id}", $"/admin/content/{about.Id}",
            ("Title", bio.Title), ("Summary", bio.Summary), ("Body", bio.Body.Replace("healing journey", "healing path", StringComparison.Ordinal)),
            ("Action", "Publish"), ("BaseRevision", bio.Number.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        Assert.Equal(HttpStatusCode.Redirect, fixedBio.StatusCode);
        Assert.Contains("healing journey", aboutBefore, StringComparison.Ordinal);
        await Eventually.TrueAsync(async () => (await visitor.GetStringAsync("/about")).Contains("healing path", StringComparison.Ordinal), what: "the other instance to show the fixed bio");
    }

    [Fact]
    public async Task Saves_of_the_same_revision_sent_at_once_to_two_instances_store_one_and_tell_the_others_it_was_saved_again()
    {
        var (first, second) = TwoInstances();
        await using var _ = first;
        await using var __ = second;
        var (one, _) = await first.SignedInClientAsync();
        var (other, _) = await second.SignedInClientAsync();
        var about = await first.WithDbAsync(db => db.ContentItems.AsNoTracking().Include(i => i.Revisions).SingleAsync(i => i.Kind == ContentKind.Page && i.Slug == SitePages.About));
        var bio = about.Revisions.OrderBy(r => r.Number).Last();

        // Four windows open on the same revision, each saving its own words at the same moment.
        var saves = Enumerable.Range(1, 4).Select(n => (n % 2 == 0 ? one : other).PostAdminFormAsync($"/admin/content/{about.Id}", $"/admin/content/{about.Id}",
            ("Title", bio.Title), ("Summary", bio.Summary), ("Body", $"{bio.Body}\n\nWindow {n}."), ("Action", "Save"),
            ("BaseRevision", bio.Number.ToString(System.Globalization.CultureInfo.InvariantCulture))));
        var responses = await Task.WhenAll(saves);

        Assert.Equal([HttpStatusCode.Redirect, HttpStatusCode.Conflict, HttpStatusCode.Conflict, HttpStatusCode.Conflict], responses.Select(r => r.StatusCode).Order());
        foreach (var refused in responses.Where(r => r.StatusCode == HttpStatusCode.Conflict))
        {
            Assert.Contains("This was saved again", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        var numbers = await first.WithDbAsync(db => db.ContentRevisions.Where(r => r.ContentItemId == about.Id).Select(r => r.Number).ToListAsync());
        Assert.Equal(Enumerable.Range(1, bio.Number + 1), numbers.Order());
        foreach (var response in responses)
        {
            response.Dispose();
        }
    }

    /// <summary>Two started instances on one PostgreSQL database, as deployed behind Caddy.</summary>
    private static (KapPracticeFactory First, KapPracticeFactory Second) TwoInstances()
    {
        var first = new KapPracticeFactory { Provider = DatabaseProvider.PostgreSql };
        _ = first.Services;
        var second = new KapPracticeFactory { Provider = DatabaseProvider.PostgreSql }.SharingDatabaseWith(first);
        _ = second.Services;
        return (first, second);
    }
}
