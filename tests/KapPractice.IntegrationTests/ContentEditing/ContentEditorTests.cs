using System.Net;
using KapPractice.Web.Domain;
using KapPractice.Web.Features.Content;
using KapPractice.Web.Infrastructure.Audit;
using Microsoft.EntityFrameworkCore;

namespace KapPractice.IntegrationTests.ContentEditing;

/// <summary>The editor as she uses it: write, preview, publish, schedule, rename, unpublish, delete; and what visitors then see.</summary>
[Collection(SharedAdminApp.Name)]
public sealed class ContentEditorTests(AdminFactory factory) : IAsyncLifetime
{
    public Task InitializeAsync() => factory.ResetAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    private static (string, string)[] Article(string action, string slug = "on-grief-and-art", string title = "On grief and art", string body = "Making things with our hands can hold what words cannot.", string? publishAt = null, int baseRevision = 0) =>
    [
        ("Title", title), ("Slug", slug), ("Author", "Leslie Portillo, LCAT, ATR-BC"), ("PublishedOn", "2026-12-01"),
        ("Summary", "How art-making helps with grief."), ("Body", body), ("Action", action), ("PublishAt", publishAt ?? string.Empty),
        ("BaseRevision", baseRevision.ToString(System.Globalization.CultureInfo.InvariantCulture)),
    ];

    private Task<ContentItem> ItemAsync(string slug) =>
        factory.WithDbAsync(db => db.ContentItems.AsNoTracking().Include(i => i.Revisions).SingleAsync(i => i.Slug == slug));

    [Fact]
    public async Task A_new_article_saved_as_a_draft_stays_off_the_site_until_published_then_shows_everywhere()
    {
        var (client, email) = await factory.SignedInClientAsync();
        var visitor = factory.CreateClient();

        using var saved = await client.PostAdminFormAsync("/admin/content/new", "/admin/content/new", Article("Save"));
        Assert.Equal(HttpStatusCode.Redirect, saved.StatusCode);
        var item = await ItemAsync("on-grief-and-art");
        Assert.Null(item.PublishedRevisionId);
        Assert.Equal(HttpStatusCode.NotFound, (await visitor.GetAsync("/articles/on-grief-and-art")).StatusCode);
        Assert.DoesNotContain("On grief and art", await visitor.GetStringAsync("/articles"), StringComparison.Ordinal);

        using var published = await client.PostAdminFormAsync($"/admin/content/{item.Id}", $"/admin/content/{item.Id}", Article("Publish", baseRevision: 1));
        Assert.Equal(HttpStatusCode.Redirect, published.StatusCode);

        var page = await visitor.GetDocumentAsync("/articles/on-grief-and-art");
        Assert.Equal("On grief and art", page.QuerySelector("h1")!.TextContent);
        Assert.Contains("Making things with our hands", page.QuerySelector("article")!.TextContent, StringComparison.Ordinal);
        Assert.Contains("On grief and art", await visitor.GetStringAsync("/articles"), StringComparison.Ordinal);
        Assert.Contains("/articles/on-grief-and-art", await visitor.GetStringAsync("/sitemap.xml"), StringComparison.Ordinal);
        Assert.Contains("On grief and art", await visitor.GetStringAsync("/feed.xml"), StringComparison.Ordinal);
        var audit = await factory.WithDbAsync(db => db.AuditEntries.AsNoTracking().Where(a => a.Actor == email).Select(a => a.Action).ToListAsync());
        Assert.Contains(AuditActions.ContentSaved, audit);
        Assert.Contains(AuditActions.ContentPublished, audit);
        Assert.Equal(2, (await ItemAsync("on-grief-and-art")).Revisions.Count);
    }

    [Fact]
    public async Task Preview_renders_the_public_page_from_the_unsaved_text_and_saves_nothing()
    {
        var (client, _) = await factory.SignedInClientAsync();

        using var response = await client.PostAdminFormAsync("/admin/content/new", "/admin/content/new", Article("Preview", body: "A *first* draft."));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var page = await Html.ParseAsync(response);
        Assert.Equal("On grief and art", page.QuerySelector("main h1")!.TextContent);
        Assert.Equal("first", page.QuerySelector("main article em")!.TextContent);
        Assert.Contains("Preview: not saved and not published.", page.QuerySelector(".preview-banner")!.TextContent, StringComparison.Ordinal);
        Assert.NotNull(page.QuerySelector("meta[name='robots'][content='noindex']"));
        Assert.False(await factory.WithDbAsync(db => db.ContentItems.AnyAsync(i => i.Slug == "on-grief-and-art")));
    }

    [Fact]
    public async Task Script_event_attributes_javascript_links_and_frames_never_reach_the_public_page()
    {
        var (client, _) = await factory.SignedInClientAsync();
        const string hostile = "Hello <script>alert(1)</script>\n\n<img src=\"x\" onerror=\"alert(2)\">\n\n[click](javascript:alert(3))\n\n<iframe src=\"https://evil.example\"></iframe>\n\n<a href=\"https://example.org\">elsewhere</a>\n\n<p style=\"color:red\" onclick=\"alert(4)\">styled</p>";

        using var published = await client.PostAdminFormAsync("/admin/content/new", "/admin/content/new", Article("Publish", body: hostile));
        Assert.Equal(HttpStatusCode.Redirect, published.StatusCode);

        var page = await factory.CreateClient().GetDocumentAsync("/articles/on-grief-and-art");
        var article = page.QuerySelector("main article")!;
        Assert.Empty(article.QuerySelectorAll("script, iframe, [onerror], [onclick], [style]"));
        Assert.DoesNotContain(article.QuerySelectorAll("a"), a => (a.GetAttribute("href") ?? string.Empty).StartsWith("javascript:", StringComparison.OrdinalIgnoreCase));
        Assert.Empty(article.QuerySelectorAll("img")); // not one of her pictures: no request to another server
        Assert.Equal("noopener noreferrer", article.QuerySelector("a[href='https://example.org']")!.GetAttribute("rel"));
        Assert.Contains("styled", article.TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_page_holding_a_placeholder_cannot_be_published_and_the_message_names_it()
    {
        var (client, _) = await factory.SignedInClientAsync();
        var fees = await ItemAsync(SitePages.Fees);
        var latest = fees.Revisions.Max(r => r.Number);

        using var refused = await client.PostAdminFormAsync($"/admin/content/{fees.Id}", $"/admin/content/{fees.Id}",
            ("Title", "Fees"), ("Summary", "What sessions cost."), ("Body", "- **KAP session** (2 to 3 hours): $[fee]"), ("Action", "Publish"),
            ("BaseRevision", latest.ToString(System.Globalization.CultureInfo.InvariantCulture)));

        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        var page = await Html.ParseAsync(refused);
        Assert.Contains("[fee]", page.QuerySelector("#Body-error")!.TextContent, StringComparison.Ordinal);
        Assert.Null((await ItemAsync(SitePages.Fees)).PublishedRevisionId);
        Assert.Equal(latest, (await ItemAsync(SitePages.Fees)).Revisions.Max(r => r.Number));
    }

    [Fact]
    public async Task Fees_show_no_placeholder_on_a_fresh_install_and_her_own_once_she_publishes_them()
    {
        var visitor = factory.CreateClient();
        var before = await visitor.GetDocumentAsync("/fees");
        var text = before.QuerySelector("main")!.TextContent;
        Assert.DoesNotMatch(@"\[[^\]]+\]", text);
        Assert.Contains("Fees are given on request", text, StringComparison.Ordinal);
        Assert.NotNull(before.QuerySelector("#your-right-to-a-good-faith-estimate"));

        var (client, _) = await factory.SignedInClientAsync();
        var fees = await ItemAsync(SitePages.Fees);
        using var published = await client.PostAdminFormAsync($"/admin/content/{fees.Id}", $"/admin/content/{fees.Id}",
            ("Title", "Fees"), ("Summary", "What sessions cost."), ("Body", "- **KAP session** (2 to 3 hours): $450"), ("Action", "Publish"),
            ("BaseRevision", fees.Revisions.Max(r => r.Number).ToString(System.Globalization.CultureInfo.InvariantCulture)));
        Assert.Equal(HttpStatusCode.Redirect, published.StatusCode);

        var after = await visitor.GetDocumentAsync("/fees");
        Assert.Contains("$450", after.QuerySelector("main")!.TextContent, StringComparison.Ordinal);
        Assert.DoesNotContain("given on request", after.QuerySelector("main")!.TextContent, StringComparison.Ordinal);
        Assert.NotNull(after.QuerySelector("#your-right-to-a-good-faith-estimate"));
    }

    [Fact]
    public async Task Renaming_a_published_article_keeps_the_old_address_as_a_permanent_redirect_and_deleting_it_answers_gone()
    {
        var (client, _) = await factory.SignedInClientAsync();
        using var _1 = await client.PostAdminFormAsync("/admin/content/new", "/admin/content/new", Article("Publish"));
        var item = await ItemAsync("on-grief-and-art");

        using var renamed = await client.PostAdminFormAsync($"/admin/content/{item.Id}", $"/admin/content/{item.Id}", Article("Publish", slug: "grief-and-art", baseRevision: 1));
        Assert.Equal(HttpStatusCode.Redirect, renamed.StatusCode);

        var visitor = factory.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        using var old = await visitor.GetAsync("/articles/on-grief-and-art");
        Assert.Equal(HttpStatusCode.PermanentRedirect, old.StatusCode);
        Assert.Equal("/articles/grief-and-art", old.Headers.Location!.OriginalString);
        Assert.Equal(HttpStatusCode.OK, (await visitor.GetAsync("/articles/grief-and-art")).StatusCode);
        var canonical = (await visitor.GetDocumentAsync("/articles/grief-and-art")).QuerySelector("link[rel='canonical']")!.GetAttribute("href");
        Assert.EndsWith("/articles/grief-and-art", canonical, StringComparison.Ordinal);
        Assert.DoesNotContain("/articles/on-grief-and-art", await visitor.GetStringAsync("/sitemap.xml"), StringComparison.Ordinal);

        using var deleted = await client.PostAdminFormAsync($"/admin/content/{item.Id}/delete", $"/admin/content/{item.Id}/delete");
        Assert.Equal(HttpStatusCode.Redirect, deleted.StatusCode);
        Assert.Equal(HttpStatusCode.Gone, (await visitor.GetAsync("/articles/grief-and-art")).StatusCode);
        Assert.Equal(HttpStatusCode.Gone, (await visitor.GetAsync("/articles/on-grief-and-art")).StatusCode);
        Assert.Empty((await ItemAsync("grief-and-art")).Revisions);
    }

    [Fact]
    public async Task An_address_another_article_is_scheduled_to_move_to_cannot_be_taken_so_the_site_never_has_two_articles_at_one_address()
    {
        var (client, _) = await factory.SignedInClientAsync();
        using var _1 = await client.PostAdminFormAsync("/admin/content/new", "/admin/content/new", Article("Publish", slug: "alpha"));
        var alpha = await ItemAsync("alpha");
        using var scheduled = await client.PostAdminFormAsync($"/admin/content/{alpha.Id}", $"/admin/content/{alpha.Id}",
            Article("Schedule", slug: "beta", baseRevision: 1, publishAt: "2999-01-01T09:00"));
        Assert.Equal(HttpStatusCode.Redirect, scheduled.StatusCode);

        using var taken = await client.PostAdminFormAsync("/admin/content/new", "/admin/content/new", Article("Publish", slug: "beta", title: "Another"));

        Assert.Equal(HttpStatusCode.BadRequest, taken.StatusCode);
        Assert.Contains("scheduled to move to this address", (await Html.ParseAsync(taken)).QuerySelector("#Slug-error")!.TextContent, StringComparison.Ordinal);
        Assert.False(await factory.WithDbAsync(db => db.ContentItems.AnyAsync(i => i.Slug == "beta")));
    }

    [Fact]
    public async Task Text_nested_too_deeply_is_refused_with_a_message_not_a_server_error()
    {
        var (client, _) = await factory.SignedInClientAsync();

        using var refused = await client.PostAdminFormAsync("/admin/content/new", "/admin/content/new", Article("Publish", body: new string('>', 20_000) + " deep"));

        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Contains("nested too deeply", (await Html.ParseAsync(refused)).QuerySelector("#Body-error")!.TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Saving_over_a_newer_revision_is_refused_and_keeps_the_text()
    {
        var (client, _) = await factory.SignedInClientAsync();
        using var _1 = await client.PostAdminFormAsync("/admin/content/new", "/admin/content/new", Article("Save"));
        var item = await ItemAsync("on-grief-and-art");
        using var _2 = await client.PostAdminFormAsync($"/admin/content/{item.Id}", $"/admin/content/{item.Id}", Article("Save", body: "Second window.", baseRevision: 1));

        using var stale = await client.PostAdminFormAsync($"/admin/content/{item.Id}", $"/admin/content/{item.Id}", Article("Save", body: "First window, typed later.", baseRevision: 1));

        Assert.Equal(HttpStatusCode.Conflict, stale.StatusCode);
        var page = await Html.ParseAsync(stale);
        Assert.Equal("First window, typed later.", page.QuerySelector("#Body")!.TextContent);
        Assert.Equal(2, (await ItemAsync("on-grief-and-art")).Revisions.Count);
    }

    [Fact]
    public async Task The_content_area_is_for_the_signed_in_practitioner_only()
    {
        var anonymous = factory.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        foreach (var path in new[] { "/admin/content", "/admin/content/new", "/admin/content/1" })
        {
            using var response = await anonymous.GetAsync(path);
            Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
            Assert.Contains("/admin/sign-in", response.Headers.Location!.OriginalString, StringComparison.Ordinal);
        }
    }
}
