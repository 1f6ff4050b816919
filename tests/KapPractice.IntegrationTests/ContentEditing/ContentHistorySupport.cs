using KapPractice.Web.Domain;
using KapPractice.Web.Features.Content;
using KapPractice.Web.Features.ContentEditing;
using Microsoft.EntityFrameworkCore;

namespace KapPractice.IntegrationTests.ContentEditing;

/// <summary>
/// Articles with a history, stored through the editor's own save (ContentDrafts.AddRevisionAsync) and publish
/// (ContentPublishing.PublishAsync) straight on the app's database, while the editor's pages are being built.
/// </summary>
public static class ContentHistorySupport
{
    /// <summary>When the first revision of a test article is saved; each next one a minute later.</summary>
    public static readonly DateTime FirstSavedUtc = new(2026, 11, 2, 15, 4, 0, DateTimeKind.Utc);

    public static string NewSlug() => $"history-{Guid.NewGuid():N}";

    public static ContentForm Article(string slug, string title, string body, string author = "Dana Rivers") => new()
    {
        Title = title,
        Slug = slug,
        Summary = $"About {title}.",
        Author = author,
        PublishedOn = "2026-11-02",
        Body = body,
    };

    /// <summary>
    /// A new article with one revision per form, saved by <paramref name="savedBy"/> in turn; the revision numbered
    /// <paramref name="publish"/> is made live. Returns the article's id.
    /// </summary>
    public static Task<int> AddArticleAsync(this KapPracticeFactory app, IReadOnlyList<ContentForm> forms, IReadOnlyList<string> savedBy, int? publish = 1) =>
        app.WithDbAsync(async db =>
        {
            var item = new ContentItem { Kind = ContentKind.Article, Slug = forms[0].Slug!, ChangedBy = savedBy[0], ChangedUtc = FirstSavedUtc };
            db.ContentItems.Add(item);
            for (var i = 0; i < forms.Count; i++)
            {
                var saved = FirstSavedUtc.AddMinutes(i);
                var revision = await ContentDrafts.AddRevisionAsync(db, item, forms[i].Normalized(), savedBy[i % savedBy.Count], saved, null, CancellationToken.None);
                if (revision.Number == publish)
                {
                    await ContentPublishing.PublishAsync(db, item, revision, saved, CancellationToken.None);
                    await db.SaveChangesAsync();
                }
            }

            return item.Id;
        });

    public static Task<ContentItem> ItemAsync(this KapPracticeFactory app, int id) =>
        app.WithDbAsync(db => db.ContentItems.AsNoTracking().SingleAsync(i => i.Id == id));

    public static Task<List<ContentRevision>> RevisionsAsync(this KapPracticeFactory app, int id) =>
        app.WithDbAsync(db => db.ContentRevisions.AsNoTracking().Where(r => r.ContentItemId == id).OrderBy(r => r.Number).ToListAsync());
}
