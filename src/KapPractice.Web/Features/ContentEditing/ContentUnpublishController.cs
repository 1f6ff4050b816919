using KapPractice.Web.Domain;
using KapPractice.Web.Features.AdminShell;
using KapPractice.Web.Features.Content;
using KapPractice.Web.Infrastructure.Audit;
using KapPractice.Web.Infrastructure.Data;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;

namespace KapPractice.Web.Features.ContentEditing;

/// <summary>
/// Taking an article or the fees page off the site, keeping every revision: she can publish it again. The other pages
/// always have a version live.
/// </summary>
[Authorize(Policy = AdminSetup.AdminPolicy)]
public sealed class ContentUnpublishController(KapDbContext db, AuditLog audit, UnitOfWork work, PublishedContent published, TimeProvider time) : Controller
{
    [HttpPost(ContentPaths.Item + "/unpublish")]
    [UnitOfWork(ContentPublishing.ChangesSection)]
    public async Task<IActionResult> Unpublish(int id, CancellationToken cancellationToken)
    {
        if (await ContentDrafts.FindLiveAsync(db, id, cancellationToken) is not { } item)
        {
            work.Discard();
            return NotFound();
        }

        if (!ContentPublishing.CanBeUnpublished(item.Kind, item.Slug))
        {
            work.Discard();
            TempData.SetAdminFlash("This page is always on the site: change its text and publish that instead.");
            return Redirect(ContentPaths.Editor(id));
        }

        ContentPublishing.TakeOffSite(item, User.AuditName(), time.GetUtcNow().UtcDateTime);
        audit.Add(User.AuditName(), AuditActions.ContentUnpublished, detail: ContentPublishing.Describe(item));
        await work.VisibleChangeAsync(db, published, cancellationToken);
        TempData.SetAdminFlash(item.Kind == ContentKind.Page
            ? "Unpublished. Visitors now read that fees are given on request."
            : "Unpublished. Visitors no longer see it; its address answers \"not found\" until you publish it again.");
        return Redirect(ContentPaths.Editor(id));
    }
}
