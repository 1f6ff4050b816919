using KapPractice.Web.Domain;
using KapPractice.Web.Infrastructure.Audit;
using KapPractice.Web.Infrastructure.Data;
using Microsoft.EntityFrameworkCore;

namespace KapPractice.Web.Features.Content;

/// <summary>
/// The rules for what visitors see, shared by the editor, the scheduled publisher and import: which revision is live,
/// what a publish does to the address, which address an article may take, the version every instance watches, and
/// the one section every content change holds.
/// </summary>
public static class ContentPublishing
{
    /// <summary>The section every change to the site's content holds (<see cref="LockChangesAsync"/>).</summary>
    public const string ChangesSection = "site-content";

    /// <summary>Articles and the fees page may be taken off the site; the other pages always have a version live.</summary>
    public static bool CanBeUnpublished(ContentKind kind, string slug) => kind == ContentKind.Article || slug == SitePages.Fees;

    /// <summary>Takes the item off the site: no live revision, no schedule; its revisions stay (unpublish) or the caller deletes them.</summary>
    public static void TakeOffSite(ContentItem item, string actor, DateTime nowUtc)
    {
        ArgumentNullException.ThrowIfNull(item);
        item.PublishedRevisionId = null;
        item.ScheduledRevisionId = null;
        item.PublishAtUtc = null;
        item.ChangedUtc = nowUtc;
        item.ChangedBy = actor;
    }

    /// <summary>The revision visitors see at <paramref name="nowUtc"/>: a scheduled one from its time on.</summary>
    public static int? VisibleRevisionId(ContentItem item, DateTime nowUtc)
    {
        ArgumentNullException.ThrowIfNull(item);
        return item.ScheduledRevisionId is { } scheduled && item.PublishAtUtc <= nowUtc ? scheduled : item.PublishedRevisionId;
    }

    /// <summary>
    /// Makes <paramref name="revision"/> (saved, so it has its id) the one visitors see. An article that was live
    /// under another slug keeps its old address as a redirect, so no link to it breaks.
    /// </summary>
    public static async Task PublishAsync(KapDbContext db, ContentItem item, ContentRevision revision, DateTime nowUtc, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(item);
        ArgumentNullException.ThrowIfNull(revision);
        await MoveAddressAsync(db, item, revision.Slug, nowUtc, cancellationToken);
        item.PublishedRevisionId = revision.Id;
        item.ScheduledRevisionId = null;
        item.PublishAtUtc = null;
        item.FirstPublishedUtc ??= nowUtc;
    }

    /// <summary>Gives <paramref name="item"/> the address <paramref name="slug"/>, leaving a redirect at the old one once it has been live.</summary>
    public static async Task MoveAddressAsync(KapDbContext db, ContentItem item, string slug, DateTime nowUtc, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(item);
        if (item.Slug == slug)
        {
            return;
        }

        if (item.Kind == ContentKind.Article && item.FirstPublishedUtc is not null
            && db.ContentRedirects.Local.All(r => r.FromSlug != item.Slug)
            && !await db.ContentRedirects.AnyAsync(r => r.FromSlug == item.Slug, cancellationToken))
        {
            db.ContentRedirects.Add(new ContentRedirect { FromSlug = item.Slug, ContentItemId = item.Id, CreatedUtc = nowUtc });
        }

        // Back to a name it had before: the address is the article again, not a redirect to it.
        foreach (var back in await db.ContentRedirects.Where(r => r.FromSlug == slug && r.ContentItemId == item.Id).ToListAsync(cancellationToken))
        {
            db.ContentRedirects.Remove(back);
        }

        item.Slug = slug;
    }

    /// <summary>
    /// Puts every schedule that has fallen due in place for good (the site shows it from its time on anyway): the
    /// redirect of a renamed article, the audit line. Returns how many; the caller saves.
    /// </summary>
    public static async Task<int> PublishDueAsync(KapDbContext db, AuditLog audit, DateTime nowUtc, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(audit);
        var due = await db.ContentItems
            .Where(i => i.DeletedUtc == null && i.ScheduledRevisionId != null && i.PublishAtUtc <= nowUtc)
            .ToListAsync(cancellationToken);
        foreach (var item in due)
        {
            var revision = await db.ContentRevisions.SingleAsync(r => r.Id == item.ScheduledRevisionId, cancellationToken);
            if (item.Kind == ContentKind.Article && revision.Slug != item.Slug
                && await db.ContentItems.AnyAsync(i => i.Id != item.Id && i.Kind == ContentKind.Article && i.Slug == revision.Slug, cancellationToken))
            {
                // Another article took the address meanwhile: this one stays as it was, its schedule dropped and audited,
                // rather than two articles at one address (which would stop every later publish).
                item.ScheduledRevisionId = null;
                item.PublishAtUtc = null;
                audit.Add(AuditLog.ScheduleActor, AuditActions.ContentScheduled, detail: $"{Describe(item, revision.Number)} not published: its address '{revision.Slug}' is taken");
                continue;
            }

            await PublishAsync(db, item, revision, nowUtc, cancellationToken);
            audit.Add(AuditLog.ScheduleActor, AuditActions.ContentPublished, detail: Describe(item, revision.Number));
        }

        if (due.Count > 0)
        {
            await BumpVersionAsync(db, cancellationToken);
        }

        return due.Count;
    }

    /// <summary>Why <paramref name="slug"/> cannot be this article's address, or null when it can.</summary>
    public static async Task<string?> AddressProblemAsync(KapDbContext db, int itemId, string slug, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        var other = await db.ContentItems.AsNoTracking()
            .Where(i => i.Kind == ContentKind.Article && i.Slug == slug && i.Id != itemId)
            .Select(i => new { i.DeletedUtc })
            .FirstOrDefaultAsync(cancellationToken);
        if (other is not null)
        {
            return other.DeletedUtc is null
                ? "Another article has this address. Choose another."
                : "An article you deleted had this address, and it now tells visitors that article is gone. Choose another address.";
        }

        if (await db.ContentRedirects.AnyAsync(r => r.FromSlug == slug && r.ContentItemId != itemId, cancellationToken))
        {
            return "Another article had this address before it was renamed, and its old links still lead there. Choose another address.";
        }

        // A scheduled rename of another article takes this address at its time: two articles cannot then share it.
        var scheduledElsewhere = await db.ContentItems
            .Where(i => i.Id != itemId && i.DeletedUtc == null && i.ScheduledRevisionId != null)
            .Join(db.ContentRevisions, i => i.ScheduledRevisionId, r => r.Id, (i, r) => r.Slug)
            .AnyAsync(s => s == slug, cancellationToken);
        return scheduledElsewhere ? "Another article is scheduled to move to this address. Choose another." : null;
    }

    /// <summary>
    /// Inside a transaction: waits until no other request or instance is changing the site's content, and holds that
    /// until the transaction ends. A save then sees the revision another committed a moment before (and is told it was
    /// saved again) instead of numbering its own revision the same and failing; two articles cannot take one address.
    /// </summary>
    /// <remarks>
    /// The admin's actions take it through <c>[UnitOfWork(ContentPublishing.ChangesSection)]</c> (a test checks every one
    /// that posts); the scheduled publishing, import-content and the first-start seeder call this first thing in their transactions. A preview
    /// takes it too, though it saves nothing: it is posted to the same action as a save.
    /// </remarks>
    public static Task LockChangesAsync(KapDbContext db, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        return db.Database.LockSectionAsync(ChangesSection, cancellationToken);
    }

    /// <summary>Tells every instance that what visitors see has changed; inside the caller's transaction.</summary>
    public static Task BumpVersionAsync(KapDbContext db, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        return db.ContentVersions
            .Where(v => v.Id == ContentVersion.SingletonId)
            .ExecuteUpdateAsync(s => s.SetProperty(v => v.Number, v => v.Number + 1), cancellationToken);
    }

    public static Task<long> ReadVersionAsync(KapDbContext db, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        return db.ContentVersions.Where(v => v.Id == ContentVersion.SingletonId).Select(v => v.Number).FirstOrDefaultAsync(cancellationToken);
    }

    /// <summary>Where visitors find <paramref name="item"/>: a page's fixed address, or an article's under /articles/.</summary>
    public static string PublicPath(ContentItem item)
    {
        ArgumentNullException.ThrowIfNull(item);
        return item.Kind == ContentKind.Page ? SitePages.PathOf(item.Slug) : Article.PathOf(item.Slug);
    }

    /// <summary>The audit line's detail: which page or article, and which revision ("article 'on-grief' revision 4").</summary>
    public static string Describe(ContentItem item, int? revisionNumber = null)
    {
        ArgumentNullException.ThrowIfNull(item);
        var what = $"{(item.Kind == ContentKind.Page ? "page" : "article")} '{item.Slug}'";
        return revisionNumber is { } number ? $"{what} revision {number}" : what;
    }
}
