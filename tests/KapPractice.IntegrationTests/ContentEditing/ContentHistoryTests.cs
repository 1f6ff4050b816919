using System.Net;
using AngleSharp.Dom;
using AngleSharp.Html.Dom;
using KapPractice.IntegrationTests.Replies;
using KapPractice.Web.Features.AdminShell;
using KapPractice.Web.Infrastructure;
using KapPractice.Web.Infrastructure.Audit;
using Microsoft.Extensions.DependencyInjection;
using static KapPractice.IntegrationTests.ContentEditing.ContentHistorySupport;

namespace KapPractice.IntegrationTests.ContentEditing;

/// <summary>An article's history: every revision listed, two compared, an old one restored as a new draft (issue 20, item 4).</summary>
[Collection(SharedAdminApp.Name)]
public sealed class ContentHistoryTests(AdminFactory factory) : IAsyncLifetime
{
    private const string FirstBody = "Grief is not a problem to solve.\n\nIt asks for company.\n\nOld closing line.\n\n<script>alert(1)</script>";
    private const string SecondBody = "Grief is not a problem to solve.\n\nIt asks for company.\n\nNew closing line, <script>alert(2)</script>.\n\n<script>alert(1)</script>";

    public Task InitializeAsync() => factory.ResetAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    /// <summary>Revision 1 (published) by the practitioner, 2 by her assistant, 3 by the practitioner again: each changing something.</summary>
    private async Task<(int Id, string Slug)> ArticleWithThreeRevisionsAsync()
    {
        var slug = NewSlug();
        var id = await factory.AddArticleAsync(
            [Article(slug, "On grief", FirstBody), Article(slug, "On grief and art", SecondBody), Article(slug, "On grief and art", SecondBody + "\n\nA last thought.")],
            ["dana@example.org", "assistant@example.org"]);
        return (id, slug);
    }

    [Fact]
    public async Task The_history_lists_every_revision_newest_first_with_when_and_by_whom_and_which_is_live()
    {
        var (client, _) = await factory.SignedInClientAsync();
        var (id, _) = await ArticleWithThreeRevisionsAsync();
        var clock = factory.Services.GetRequiredService<PracticeClock>();

        var page = await client.GetDocumentAsync($"/admin/content/{id}/history");

        Assert.Contains("On grief and art", page.QuerySelector("h1")!.TextContent, StringComparison.Ordinal);
        Assert.NotNull(page.QuerySelector($"a[href='/admin/content/{id}']"));
        var rows = page.QuerySelectorAll("table.revisions tbody tr").ToList();
        Assert.Equal(["Revision 3", "Revision 2", "Revision 1"], rows.Select(r => r.QuerySelector("th[scope=row]")!.TextContent.Trim()));
        Assert.Equal(["dana@example.org", "assistant@example.org", "dana@example.org"], rows.Select(r => r.QuerySelector("td[data-label='By']")!.TextContent.Trim()));
        Assert.Equal(
            [clock.Format(FirstSavedUtc.AddMinutes(2)), clock.Format(FirstSavedUtc.AddMinutes(1)), clock.Format(FirstSavedUtc)],
            rows.Select(r => r.QuerySelector("td[data-label='Saved']")!.TextContent.Trim()));
        Assert.Equal("Live", rows[2].QuerySelector("td[data-label='State']")!.TextContent.Trim());
        Assert.Equal("Newest draft", rows[0].QuerySelector("td[data-label='State']")!.TextContent.Trim());
        // Every revision but the newest can be restored; the compare form starts at the one before the newest against the newest.
        Assert.Equal(2, page.QuerySelectorAll("form[action$='/restore'] button").Length);
        Assert.Null(page.QuerySelector($"form[action='/admin/content/{id}/history/3/restore']"));
        Assert.Equal("2", page.QuerySelector<IHtmlSelectElement>("#compare-from")!.Value);
        Assert.Equal("3", page.QuerySelector<IHtmlSelectElement>("#compare-to")!.Value);
        Assert.Equal("Older version", page.QuerySelector("label[for='compare-from']")!.TextContent);

        var revision = await client.GetDocumentAsync($"/admin/content/{id}/history/1");
        Assert.Equal(FirstBody, revision.QuerySelector("pre.revision-markdown")!.TextContent);
        Assert.Contains("Old closing line.", revision.QuerySelector(".revision-preview")!.TextContent, StringComparison.Ordinal);
        Assert.DoesNotContain(revision.QuerySelectorAll("script"), s => s.TextContent.Contains("alert", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Compare_shows_the_removed_and_added_lines_and_changed_details_as_text_never_as_markup()
    {
        var (client, _) = await factory.SignedInClientAsync();
        var (id, _) = await ArticleWithThreeRevisionsAsync();

        using var response = await client.GetAsync(new Uri($"/admin/content/{id}/compare?from=1&to=2", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var html = await response.Content.ReadAsStringAsync();
        var page = await Html.ParseAsync(response);

        var removed = page.QuerySelectorAll("tr.diff-removed").Select(r => r.QuerySelector(".diff-text")!.TextContent).ToList();
        var added = page.QuerySelectorAll("tr.diff-added").Select(r => r.QuerySelector(".diff-text")!.TextContent).ToList();
        Assert.Equal(["removed: Old closing line."], removed);
        Assert.Equal(["added: New closing line, <script>alert(2)</script>."], added);
        Assert.Equal("−", page.QuerySelector("tr.diff-removed .diff-mark")!.TextContent);
        Assert.NotNull(page.QuerySelector("tr.diff-removed del"));
        Assert.NotNull(page.QuerySelector("tr.diff-added ins"));
        Assert.Contains(page.QuerySelectorAll("tr.diff-unchanged .diff-text"), td => td.TextContent == "<script>alert(1)</script>");
        Assert.DoesNotContain("<script>alert", html, StringComparison.Ordinal);
        Assert.Contains("&lt;script&gt;alert(2)&lt;/script&gt;", html, StringComparison.Ordinal);

        var details = page.QuerySelectorAll("table.compare-fields tbody tr").ToList();
        Assert.Equal(["Title", "Summary"], details.Select(r => r.QuerySelector("th[scope=row]")!.TextContent));
        var title = details[0];
        Assert.Equal("removed: On grief", title.QuerySelectorAll("td")[0].TextContent.Trim());
        Assert.Equal("added: On grief and art", title.QuerySelectorAll("td")[1].TextContent.Trim());

        // Without numbers: the one before the newest against the newest.
        var latest = await client.GetDocumentAsync($"/admin/content/{id}/compare");
        Assert.Equal(["added: A last thought."], latest.QuerySelectorAll("tr.diff-added .diff-text").Select(td => td.TextContent).Where(t => t != "added: ").ToList());
        Assert.Contains("The title, address, summary, author, dates and image are the same.", latest.QuerySelector("main")!.TextContent, StringComparison.Ordinal);

        var same = await client.GetDocumentAsync($"/admin/content/{id}/compare?from=2&to=2");
        Assert.Contains("same version twice", same.QuerySelector(".compare-same")!.TextContent, StringComparison.Ordinal);
        Assert.Null(same.QuerySelector("table.diff"));
    }

    [Fact]
    public async Task Restoring_an_old_revision_saves_it_again_as_the_newest_draft_leaves_the_live_one_and_audits_it()
    {
        var (client, email) = await factory.SignedInClientAsync();
        var (id, slug) = await ArticleWithThreeRevisionsAsync();
        var liveBefore = (await factory.ItemAsync(id)).PublishedRevisionId;

        using var restored = await client.PostAdminFormAsync($"/admin/content/{id}/history", "/history/1/restore");

        Assert.Equal(HttpStatusCode.Redirect, restored.StatusCode);
        Assert.Equal($"/admin/content/{id}", restored.Headers.Location!.OriginalString);
        var revisions = await factory.RevisionsAsync(id);
        Assert.Equal([1, 2, 3, 4], revisions.Select(r => r.Number));
        var (old, copy) = (revisions[0], revisions[3]);
        Assert.Equal((old.Title, old.Slug, old.Summary, old.Author, old.PublishedOn, old.UpdatedOn, old.ImageName, old.Body),
            (copy.Title, copy.Slug, copy.Summary, copy.Author, copy.PublishedOn, copy.UpdatedOn, copy.ImageName, copy.Body));
        Assert.Equal("restored from revision 1", copy.Note);
        Assert.Equal(email, copy.SavedBy);
        var item = await factory.ItemAsync(id);
        Assert.Equal(liveBefore, item.PublishedRevisionId);
        Assert.Equal(revisions[0].Id, item.PublishedRevisionId);
        Assert.Contains((await factory.AuditAsync()).Where(e => e.Actor == email), e => e.Action == AuditActions.ContentRestored && e.Detail == $"article '{slug}' revision 4");

        var history = await client.GetDocumentAsync($"/admin/content/{id}/history");
        Assert.Equal("Revision 1 restored as revision 4. Publish it to make it live.", history.QuerySelector(".flash")!.TextContent);
        Assert.Equal("restored from revision 1", history.QuerySelector("table.revisions tbody tr td[data-label='Note']")!.TextContent);
    }

    [Fact]
    public async Task A_revision_whose_address_another_article_now_has_is_not_restored_and_nothing_is_stored()
    {
        var (client, email) = await factory.SignedInClientAsync();
        var oldSlug = NewSlug();
        var id = await factory.AddArticleAsync([Article(oldSlug, "On grief", FirstBody), Article(NewSlug(), "On grief, renamed", SecondBody)], ["dana@example.org"], publish: 2);
        await factory.AddArticleAsync([Article(oldSlug, "Another article", "Its own words.")], ["dana@example.org"]);

        using var refused = await client.PostAdminFormAsync($"/admin/content/{id}/history", "/history/1/restore");

        Assert.Equal(HttpStatusCode.Redirect, refused.StatusCode);
        Assert.Equal(2, (await factory.RevisionsAsync(id)).Count);
        Assert.DoesNotContain(await factory.AuditAsync(), e => e.Action == AuditActions.ContentRestored);
        var history = await client.GetDocumentAsync($"/admin/content/{id}/history");
        var flash = history.QuerySelector(".flash")!.TextContent;
        Assert.Contains("Revision 1 was not restored", flash, StringComparison.Ordinal);
        Assert.Contains("Another article has this address", flash, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Unknown_items_and_revisions_and_deleted_items_are_not_found()
    {
        var (client, _) = await factory.SignedInClientAsync();
        var (id, _) = await ArticleWithThreeRevisionsAsync();
        var form = (await client.GetDocumentAsync($"/admin/content/{id}/history")).QuerySelector<IHtmlFormElement>("form[action$='/history/1/restore']")!;
        var token = Html.FieldsOf(form, []);

        foreach (var path in new[]
        {
            $"/admin/content/{id}/history/9", $"/admin/content/{id}/compare?from=9&to=1", $"/admin/content/{id}/compare?from=1&to=0",
            $"/admin/content/{id + 1000}/history", $"/admin/content/{id + 1000}/history/1", $"/admin/content/{id + 1000}/compare",
        })
        {
            using var response = await client.GetAsync(new Uri(path, UriKind.Relative));
            Assert.True(response.StatusCode == HttpStatusCode.NotFound, $"{path} answered {(int)response.StatusCode}");
        }

        foreach (var path in new[] { $"/admin/content/{id}/history/9/restore", $"/admin/content/{id + 1000}/history/1/restore" })
        {
            using var content = new FormUrlEncodedContent(token);
            using var response = await client.PostAsync(new Uri(path, UriKind.Relative), content);
            Assert.True(response.StatusCode == HttpStatusCode.NotFound, $"POST {path} answered {(int)response.StatusCode}");
        }

        await factory.WithDbAsync(async db =>
        {
            var item = await db.ContentItems.FindAsync(id);
            item!.DeletedUtc = FirstSavedUtc.AddDays(1);
            return await db.SaveChangesAsync();
        });
        foreach (var path in new[] { $"/admin/content/{id}/history", $"/admin/content/{id}/history/1", $"/admin/content/{id}/compare?from=1&to=2" })
        {
            using var response = await client.GetAsync(new Uri(path, UriKind.Relative));
            Assert.True(response.StatusCode == HttpStatusCode.NotFound, $"{path} of a deleted article answered {(int)response.StatusCode}");
        }

        using var deleted = new FormUrlEncodedContent(token);
        using var restoreDeleted = await client.PostAsync(new Uri($"/admin/content/{id}/history/1/restore", UriKind.Relative), deleted);
        Assert.Equal(HttpStatusCode.NotFound, restoreDeleted.StatusCode);
        Assert.Equal(3, (await factory.RevisionsAsync(id)).Count);
    }

    [Fact]
    public async Task A_signed_out_visitor_is_sent_to_sign_in_and_a_post_without_its_token_is_refused()
    {
        var (id, _) = await ArticleWithThreeRevisionsAsync();
        using var anonymous = factory.CreateHttpsClient();
        foreach (var (method, path) in new[]
        {
            (HttpMethod.Get, $"/admin/content/{id}/history"), (HttpMethod.Get, $"/admin/content/{id}/history/1"),
            (HttpMethod.Get, $"/admin/content/{id}/compare?from=1&to=2"), (HttpMethod.Post, $"/admin/content/{id}/history/1/restore"),
        })
        {
            using var request = new HttpRequestMessage(method, new Uri(path, UriKind.Relative));
            if (method == HttpMethod.Post)
            {
                request.Content = new FormUrlEncodedContent([]);
            }

            using var response = await anonymous.SendAsync(request);
            Assert.True(response.StatusCode == HttpStatusCode.Redirect, $"{method} {path} answered {(int)response.StatusCode}");
            Assert.Equal(AdminSetup.SignInPath, new Uri(new Uri("https://localhost"), response.Headers.Location!).AbsolutePath);
        }

        var (client, _) = await factory.SignedInClientAsync();
        using var empty = new FormUrlEncodedContent([]);
        using var forged = await client.PostAsync(new Uri($"/admin/content/{id}/history/1/restore", UriKind.Relative), empty);
        Assert.Equal(HttpStatusCode.BadRequest, forged.StatusCode);
        Assert.Equal(3, (await factory.RevisionsAsync(id)).Count);
    }
}
