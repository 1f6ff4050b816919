using KapPractice.Web.Domain;
using KapPractice.Web.Features.AdminShell;
using KapPractice.Web.Features.Content;
using KapPractice.Web.Infrastructure.Audit;
using KapPractice.Web.Infrastructure.Data;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace KapPractice.Web.Features.ContentEditing;

/// <summary>One row of an item's history (the body is not loaded for the list).</summary>
public sealed record RevisionSummary(int Number, DateTime SavedUtc, string SavedBy, string? Note, string Title);

/// <summary>The page or article a history page is about: its id, a name for it, and where its editor is.</summary>
public sealed record HistoryItem(int Id, ContentKind Kind, string Slug, string Title)
{
    public string EditorPath => ContentPaths.Editor(Id);

    public string HistoryPath => ContentPaths.History(Id);

    /// <summary>What it is, in words: "article" or "page".</summary>
    public string KindName => Kind == ContentKind.Article ? "article" : "page";
}

/// <summary>The history: every revision newest first, which one visitors see and which one is scheduled.</summary>
public sealed record HistoryPage(HistoryItem Item, IReadOnlyList<RevisionSummary> Revisions, int? LiveNumber, int? ScheduledNumber, DateTime? PublishAtUtc)
{
    public int Newest => Revisions.Count == 0 ? 0 : Revisions[0].Number;

    /// <summary>The compare form's default: the one before the newest against the newest.</summary>
    public int DefaultFrom => Revisions.Count > 1 ? Revisions[1].Number : Newest;
}

/// <summary>One revision shown read-only, with the page as visitors would see it.</summary>
public sealed record RevisionPage(HistoryItem Item, ContentRevision Revision, RenderedBody Rendered, int Newest, bool IsLive, bool IsScheduled);

/// <summary>Two revisions compared; <see cref="Comparison"/> is null when both are the same revision.</summary>
public sealed record ComparePage(HistoryItem Item, IReadOnlyList<RevisionSummary> Revisions, RevisionSummary From, RevisionSummary To, ContentComparison? Comparison);

/// <summary>
/// Revisions: every save of a page or article is kept. Her history shows when and by whom each was
/// saved, any two can be compared, and any one restored. Restoring saves the old words as a new revision, a draft:
/// nothing visitors see changes until she publishes it from the editor (docs/practitioner-guide.md).
/// </summary>
[Authorize(Policy = AdminSetup.AdminPolicy)]
public sealed class ContentHistoryController(KapDbContext db, AuditLog audit, TimeProvider time) : Controller
{
    [HttpGet(ContentPaths.Item + "/history")]
    public async Task<IActionResult> History(int id, CancellationToken cancellationToken)
    {
        var item = await FindAsync(id, cancellationToken);
        if (item is null)
        {
            return NotFound();
        }

        var revisions = await SummariesAsync(id, cancellationToken);
        var (live, scheduled) = await LiveAndScheduledAsync(item, cancellationToken);
        return View(new HistoryPage(Describe(item, revisions), revisions, live, scheduled, scheduled is null ? null : item.PublishAtUtc));
    }

    [HttpGet(ContentPaths.Item + "/history/{number:int}")]
    public async Task<IActionResult> Revision(int id, int number, CancellationToken cancellationToken)
    {
        var item = await FindAsync(id, cancellationToken);
        var revision = item is null ? null : await RevisionAsync(id, number, cancellationToken);
        if (item is null || revision is null)
        {
            return NotFound();
        }

        var revisions = await SummariesAsync(id, cancellationToken);
        var (live, scheduled) = await LiveAndScheduledAsync(item, cancellationToken);
        var images = await PublishedContent.LoadImagesAsync(db, cancellationToken);
        return View(new RevisionPage(
            Describe(item, revisions), revision, ContentRenderer.Render(revision.Body, images), revisions[0].Number, live == number, scheduled == number));
    }

    [HttpGet(ContentPaths.Item + "/compare")]
    public async Task<IActionResult> Compare(int id, int? from, int? to, CancellationToken cancellationToken)
    {
        var item = await FindAsync(id, cancellationToken);
        if (item is null)
        {
            return NotFound();
        }

        var revisions = await SummariesAsync(id, cancellationToken);
        if (revisions.Count == 0)
        {
            return NotFound();
        }

        var toNumber = to ?? revisions[0].Number;
        var fromNumber = from ?? (revisions.Count > 1 ? revisions[1].Number : toNumber);
        var fromSummary = revisions.FirstOrDefault(r => r.Number == fromNumber);
        var toSummary = revisions.FirstOrDefault(r => r.Number == toNumber);
        if (fromSummary is null || toSummary is null)
        {
            return NotFound();
        }

        ContentComparison? comparison = null;
        if (fromNumber != toNumber)
        {
            var pair = await db.ContentRevisions.AsNoTracking()
                .Where(r => r.ContentItemId == id && (r.Number == fromNumber || r.Number == toNumber))
                .ToListAsync(cancellationToken);
            comparison = ContentDiff.Compare(pair.Single(r => r.Number == fromNumber), pair.Single(r => r.Number == toNumber));
        }

        return View(new ComparePage(Describe(item, revisions), revisions, fromSummary, toSummary, comparison));
    }

    [HttpPost(ContentPaths.Item + "/history/{number:int}/restore")]
    [UnitOfWork(ContentPublishing.ChangesSection)]
    public async Task<IActionResult> Restore(int id, int number, CancellationToken cancellationToken)
    {
        var item = await ContentDrafts.FindLiveAsync(db, id, cancellationToken);
        var old = item is null ? null : await RevisionAsync(id, number, cancellationToken);
        if (item is null || old is null)
        {
            return NotFound();
        }

        var newest = await db.ContentRevisions.Where(r => r.ContentItemId == id).MaxAsync(r => r.Number, cancellationToken);
        if (number == newest)
        {
            TempData.SetAdminFlash($"Revision {number} is already the newest: there is nothing to restore.");
            return LocalRedirect(ContentPaths.History(id));
        }

        if (item.Kind == ContentKind.Article && await ContentPublishing.AddressProblemAsync(db, id, old.Slug, cancellationToken) is { } problem)
        {
            TempData.SetAdminFlash($"Revision {number} was not restored: its address, {Article.PathOf(old.Slug)}, is no longer free. {problem} "
                + "You can copy its text from the history into the editor instead.");
            return LocalRedirect(ContentPaths.History(id));
        }

        // The old words exactly: a field the editor would now ask for that was empty then stays empty, as it was.
        var form = ContentForm.From(old).Normalized();
        form.Title ??= old.Title;
        form.Summary ??= old.Summary;
        form.Author ??= old.Author;
        form.Slug ??= old.Slug;
        var now = time.GetUtcNow().UtcDateTime;
        var actor = User.AuditName();
        // A draft, not a publish: she sees the restored version in the editor and publishes it when she chooses.
        var restored = await ContentDrafts.AddRevisionAsync(db, item, form, actor, now, $"restored from revision {number}", cancellationToken);
        audit.Add(actor, AuditActions.ContentRestored, detail: ContentPublishing.Describe(item, restored.Number));
        TempData.SetAdminFlash($"Revision {number} restored as revision {restored.Number}. Publish it to make it live.");
        return LocalRedirect(ContentPaths.Editor(id));
    }

    private Task<ContentItem?> FindAsync(int id, CancellationToken cancellationToken) =>
        db.ContentItems.AsNoTracking().SingleOrDefaultAsync(i => i.Id == id && i.DeletedUtc == null, cancellationToken);

    private Task<ContentRevision?> RevisionAsync(int id, int number, CancellationToken cancellationToken) =>
        db.ContentRevisions.AsNoTracking().SingleOrDefaultAsync(r => r.ContentItemId == id && r.Number == number, cancellationToken);

    private Task<List<RevisionSummary>> SummariesAsync(int id, CancellationToken cancellationToken) =>
        db.ContentRevisions.AsNoTracking()
            .Where(r => r.ContentItemId == id)
            .OrderByDescending(r => r.Number)
            .Select(r => new RevisionSummary(r.Number, r.SavedUtc, r.SavedBy, r.Note, r.Title))
            .ToListAsync(cancellationToken);

    /// <summary>The numbers of the revision visitors see now and of the one waiting for its time, if any.</summary>
    private async Task<(int? Live, int? Scheduled)> LiveAndScheduledAsync(ContentItem item, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow().UtcDateTime;
        var visible = ContentPublishing.VisibleRevisionId(item, now);
        var waiting = item.ScheduledRevisionId is { } s && item.PublishAtUtc > now ? s : (int?)null;
        var ids = new[] { visible, waiting }.OfType<int>().ToList();
        var numbers = await db.ContentRevisions.AsNoTracking()
            .Where(r => ids.Contains(r.Id))
            .ToDictionaryAsync(r => r.Id, r => r.Number, cancellationToken);
        return (visible is { } v ? numbers.GetValueOrDefault(v) : null, waiting is { } w ? numbers.GetValueOrDefault(w) : null);
    }

    private static HistoryItem Describe(ContentItem item, List<RevisionSummary> newestFirst) =>
        new(item.Id, item.Kind, item.Slug, newestFirst.Count == 0 ? item.Slug : newestFirst[0].Title);
}
