using KapPractice.Web.Domain;
using KapPractice.Web.Features.AdminShell;
using KapPractice.Web.Features.Content;
using KapPractice.Web.Infrastructure;
using KapPractice.Web.Infrastructure.Audit;
using KapPractice.Web.Infrastructure.Data;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace KapPractice.Web.Features.ContentEditing;

/// <summary>
/// Deleting an article, after a confirmation. Its revisions go; the item stays as a marker so its addresses (and
/// the old ones that redirected to it) answer 410 Gone rather than 404. Pages cannot be deleted.
/// </summary>
[Authorize(Policy = AdminSetup.AdminPolicy)]
public sealed class ContentDeletionController(KapDbContext db, AuditLog audit, UnitOfWork work, PublishedContent published, TimeProvider time) : Controller
{
    [HttpGet(ContentPaths.Item + "/delete")]
    public async Task<IActionResult> ConfirmDelete(int id, CancellationToken cancellationToken)
    {
        if (await FindAsync(id, cancellationToken) is not { } item)
        {
            return NotFound();
        }

        var title = await db.ContentRevisions.Where(r => r.ContentItemId == id).OrderByDescending(r => r.Number).Select(r => r.Title).FirstAsync(cancellationToken);
        return View(new ContentDeletePage(id, title, Article.PathOf(item.Slug), item.FirstPublishedUtc is not null));
    }

    [HttpPost(ContentPaths.Item + "/delete")]
    [UnitOfWork(ContentPublishing.ChangesSection)]
    public async Task<IActionResult> Delete(int id, CancellationToken cancellationToken)
    {
        if (await FindAsync(id, cancellationToken) is not { } item)
        {
            work.Discard();
            return NotFound();
        }

        var now = time.GetUtcNow().UtcDateTime;
        audit.Add(User.AuditName(), AuditActions.ContentDeleted, detail: ContentPublishing.Describe(item));
        ContentPublishing.TakeOffSite(item, User.AuditName(), now);
        item.DeletedUtc = now;
        await db.ContentRevisions.Where(r => r.ContentItemId == id).ExecuteDeleteAsync(cancellationToken);
        await work.VisibleChangeAsync(db, published, cancellationToken);
        TempData.SetAdminFlash("Article deleted. Its address now tells visitors it is gone.");
        return Redirect(ContentPaths.List);
    }

    private Task<ContentItem?> FindAsync(int id, CancellationToken cancellationToken) =>
        db.ContentItems.SingleOrDefaultAsync(i => i.Id == id && i.Kind == ContentKind.Article && i.DeletedUtc == null, cancellationToken);
}

public sealed record ContentDeletePage(int Id, string Title, string PublicPath, bool WasPublished);
