using KapPractice.Web.Domain;
using KapPractice.Web.Infrastructure;
using KapPractice.Web.Infrastructure.Data;
using Microsoft.AspNetCore.OutputCaching;
using Microsoft.EntityFrameworkCore;

namespace KapPractice.Web.Features.Content;

/// <summary>
/// The copy of the site visitors are served (<see cref="Current"/>), rebuilt from the database whenever the content
/// version changes (here or on another instance, see <see cref="ContentRefresher"/>) or a scheduled change falls due.
/// Each rebuild empties the output cache of the public pages.
/// </summary>
public sealed class PublishedContent(IServiceScopeFactory scopes, IOutputCacheStore cache, TimeProvider time, ILogger<PublishedContent> logger) : IPublicCopy, IDisposable
{
    private readonly SemaphoreSlim rebuilding = new(1, 1);
    private volatile Snapshot current = new(ContentLibrary.Empty, -1, 0);

    public ContentLibrary Current => current.Library;

    /// <summary>The content version the current copy was built from.</summary>
    public long Version => current.Version;

    /// <inheritdoc />
    public long Generation => current.Generation;

    /// <summary>True when the copy must be rebuilt: another version is stored, or a scheduled change is due.</summary>
    public bool IsStale(long storedVersion) =>
        storedVersion != current.Version || current.Library.NextChangeUtc <= time.GetUtcNow().UtcDateTime;

    /// <summary>Builds the copy anew from the database and empties the public pages' cache.</summary>
    public async Task RefreshAsync(CancellationToken cancellationToken)
    {
        await rebuilding.WaitAsync(cancellationToken);
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<KapDbContext>();
            var version = await ContentPublishing.ReadVersionAsync(db, cancellationToken);
            var library = await BuildAsync(db, time.GetUtcNow().UtcDateTime, cancellationToken);
            current = new Snapshot(library, version, current.Generation + 1);
            await cache.EvictByTagAsync(SiteSetup.PublicPagesCacheTag, cancellationToken);
        }
        finally
        {
            rebuilding.Release();
        }
    }

    /// <summary>
    /// After her change is committed: rebuilds this instance's copy at once. A failure is logged, not answered with a 500
    /// for a change that is already saved; the next look of <see cref="ContentRefresher"/> tries again.
    /// </summary>
    public async Task RefreshAfterChangeAsync()
    {
        try
        {
            await RefreshAsync(CancellationToken.None);
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            logger.ContentRefreshFailed(exception);
        }
    }

    /// <summary>What visitors see at <paramref name="nowUtc"/>: a scheduled revision counts from its time on.</summary>
    public static async Task<ContentLibrary> BuildAsync(KapDbContext db, DateTime nowUtc, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        var items = await db.ContentItems.AsNoTracking().ToListAsync(cancellationToken);
        var visible = items
            .Where(i => i.DeletedUtc is null)
            .Select(i => (Item: i, RevisionId: ContentPublishing.VisibleRevisionId(i, nowUtc)))
            .Where(v => v.RevisionId is not null)
            .ToList();
        var ids = visible.Select(v => v.RevisionId!.Value).ToList();
        var revisions = await db.ContentRevisions.AsNoTracking().Where(r => ids.Contains(r.Id)).ToDictionaryAsync(r => r.Id, cancellationToken);
        var images = await LoadImagesAsync(db, cancellationToken);

        var articles = new List<Article>();
        var pages = new Dictionary<string, ContentPage>(StringComparer.Ordinal);
        var visibleSlugs = new Dictionary<int, string>();
        foreach (var (item, revisionId) in visible)
        {
            var revision = revisions[revisionId!.Value];
            var rendered = ContentRenderer.Render(revision.Body, images);
            var image = revision.ImageName is { } name ? images.GetValueOrDefault(name) : null;
            if (item.Kind == ContentKind.Page)
            {
                pages[item.Slug] = new ContentPage(revision.Title, revision.Summary, revision.UpdatedOn, rendered.Html, image);
                continue;
            }

            if (visibleSlugs.ContainsValue(revision.Slug))
            {
                // Two live articles at one address (a scheduled rename meeting a new article): the first stays, the site keeps serving.
                continue;
            }

            visibleSlugs[item.Id] = revision.Slug;
            articles.Add(new Article(
                revision.Slug,
                revision.Title,
                revision.Summary,
                revision.Author,
                revision.PublishedOn ?? DateOnly.FromDateTime(item.FirstPublishedUtc ?? nowUtc),
                revision.UpdatedOn,
                rendered.Html,
                rendered.WordCount,
                image));
        }

        var deleted = items.Where(i => i.DeletedUtc is not null).Select(i => i.Id).ToHashSet();
        // Only an address visitors could once open is "gone"; a deleted draft's address was never shown and stays unknown (404).
        var gone = items.Where(i => i.DeletedUtc is not null && i.Kind == ContentKind.Article && i.FirstPublishedUtc is not null).Select(i => i.Slug).ToHashSet(StringComparer.Ordinal);
        var redirects = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var redirect in await db.ContentRedirects.AsNoTracking().ToListAsync(cancellationToken))
        {
            if (deleted.Contains(redirect.ContentItemId))
            {
                gone.Add(redirect.FromSlug);
            }
            else if (visibleSlugs.TryGetValue(redirect.ContentItemId, out var to) && to != redirect.FromSlug)
            {
                redirects[redirect.FromSlug] = to;
            }
        }

        // A scheduled rename is live from its time, before the job that records its redirect has run.
        foreach (var (item, _) in visible.Where(v => v.Item.Kind == ContentKind.Article && v.Item.FirstPublishedUtc is not null))
        {
            if (visibleSlugs[item.Id] != item.Slug)
            {
                redirects.TryAdd(item.Slug, visibleSlugs[item.Id]);
            }
        }

        var next = items.Where(i => i.DeletedUtc is null && i.PublishAtUtc > nowUtc).Select(i => i.PublishAtUtc).Min();
        return new ContentLibrary(articles, pages, redirects, gone, next);
    }

    /// <summary>Every picture of her library with its files' sizes (not their bytes).</summary>
    public static async Task<Dictionary<string, ContentImageView>> LoadImagesAsync(KapDbContext db, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        var images = await db.ContentImages.AsNoTracking().Select(i => new { i.Id, i.Key, i.Alt, i.IsDecorative }).ToListAsync(cancellationToken);
        var files = (await db.ContentImageFiles.AsNoTracking().Select(f => new { f.ContentImageId, f.FileName, f.Width, f.Height }).ToListAsync(cancellationToken))
            .ToLookup(f => f.ContentImageId);
        return images
            .Where(i => files[i.Id].Any())
            .ToDictionary(
                i => i.Key,
                i => new ContentImageView(i.Key, i.Alt, i.IsDecorative, [.. files[i.Id].Select(f => new ContentImageFileView(f.FileName, f.Width, f.Height))]),
                StringComparer.Ordinal);
    }

    public void Dispose() => rebuilding.Dispose();

    private sealed record Snapshot(ContentLibrary Library, long Version, long Generation);
}
