using KapPractice.Web.Domain;
using KapPractice.Web.Infrastructure;
using KapPractice.Web.Infrastructure.Data;
using Microsoft.EntityFrameworkCore;

namespace KapPractice.Web.Features.ContentEditing;

/// <summary>Where a page or article stands, as the content list and the editor say it.</summary>
/// <param name="LiveRevision">The revision number visitors see; null when they see none.</param>
public sealed record ContentStatus(string Text, int LatestRevision, int? LiveRevision, DateTime? PublishAtUtc, DateTime ChangedUtc, string ChangedBy);

/// <summary>Saving revisions and checking addresses: what the editor, restore and the list share.</summary>
public static class ContentDrafts
{
    /// <summary>Adds <paramref name="form"/> (normalized and valid) as the item's next revision and saves it, so it has its id.</summary>
    public static async Task<ContentRevision> AddRevisionAsync(
        KapDbContext db, ContentItem item, ContentForm form, string actor, DateTime nowUtc, string? note, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(item);
        ArgumentNullException.ThrowIfNull(form);
        var last = item.Id == 0 ? 0 : await db.ContentRevisions.Where(r => r.ContentItemId == item.Id).MaxAsync(r => (int?)r.Number, cancellationToken) ?? 0;
        var isArticle = item.Kind == ContentKind.Article;
        var revision = new ContentRevision
        {
            Number = last + 1,
            Title = form.Title!,
            Slug = isArticle ? form.Slug! : item.Slug,
            Summary = form.Summary!,
            Author = isArticle ? form.Author! : string.Empty,
            PublishedOn = isArticle ? ContentForm.ParseDate(form.PublishedOn) : null,
            UpdatedOn = ContentForm.ParseDate(form.UpdatedOn),
            ImageName = form.ImageName,
            Body = form.Body ?? string.Empty,
            SavedUtc = nowUtc,
            SavedBy = actor,
            Note = note,
        };
        item.Revisions.Add(revision);
        item.ChangedUtc = nowUtc;
        item.ChangedBy = actor;
        // Saved inside the caller's unit of work: publishing points at the revision's id.
        await db.SaveChangesAsync(cancellationToken);
        return revision;
    }

    /// <summary>The page or article with that id, unless it was deleted (a deleted article stays only as a marker).</summary>
    public static Task<ContentItem?> FindLiveAsync(KapDbContext db, int id, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        return db.ContentItems.SingleOrDefaultAsync(i => i.Id == id && i.DeletedUtc == null, cancellationToken);
    }

    /// <summary>Each item's status, for the list and the editor.</summary>
    public static async Task<Dictionary<int, ContentStatus>> StatusesAsync(KapDbContext db, IReadOnlyCollection<ContentItem> items, PracticeClock clock, DateTime nowUtc, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(items);
        ArgumentNullException.ThrowIfNull(clock);
        var ids = items.Select(i => i.Id).ToList();
        var revisions = await db.ContentRevisions.AsNoTracking()
            .Where(r => ids.Contains(r.ContentItemId))
            .Select(r => new { r.Id, r.ContentItemId, r.Number })
            .ToListAsync(cancellationToken);
        var numbers = revisions.ToDictionary(r => r.Id, r => r.Number);
        var latest = revisions.GroupBy(r => r.ContentItemId).ToDictionary(g => g.Key, g => g.Max(r => r.Number));
        return items.ToDictionary(i => i.Id, i =>
        {
            var live = i.PublishedRevisionId is { } p ? numbers.GetValueOrDefault(p) : (int?)null;
            var newest = latest.GetValueOrDefault(i.Id);
            return new ContentStatus(Describe(i, newest, live, clock, nowUtc), newest, live, i.PublishAtUtc, i.ChangedUtc, i.ChangedBy);
        });
    }

    private static string Describe(ContentItem item, int latest, int? live, PracticeClock clock, DateTime nowUtc)
    {
        if (item.ScheduledRevisionId is not null && item.PublishAtUtc > nowUtc)
        {
            return $"Scheduled for {clock.Format(item.PublishAtUtc.Value)}" + (live is null ? string.Empty : " (an earlier version is live)");
        }

        if (live is null)
        {
            return item.FirstPublishedUtc is null ? "Draft" : "Unpublished";
        }

        return live == latest ? "Published" : "Published, with changes not yet published";
    }
}
