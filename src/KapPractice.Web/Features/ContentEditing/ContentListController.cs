using KapPractice.Web.Domain;
using KapPractice.Web.Features.AdminShell;
using KapPractice.Web.Features.Content;
using KapPractice.Web.Infrastructure;
using KapPractice.Web.Infrastructure.Data;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace KapPractice.Web.Features.ContentEditing;

/// <summary>Her pages and articles, each with where it stands, its last change and who made it.</summary>
[Authorize(Policy = AdminSetup.AdminPolicy)]
public sealed class ContentListController(KapDbContext db, PracticeClock clock, TimeProvider time) : Controller
{
    [HttpGet(ContentPaths.List)]
    public async Task<IActionResult> Index(CancellationToken cancellationToken)
    {
        var items = await db.ContentItems.AsNoTracking().Where(i => i.DeletedUtc == null).ToListAsync(cancellationToken);
        var statuses = await ContentDrafts.StatusesAsync(db, items, clock, time.GetUtcNow().UtcDateTime, cancellationToken);
        var titles = await db.ContentRevisions.AsNoTracking()
            .Where(r => r.Number == db.ContentRevisions.Where(o => o.ContentItemId == r.ContentItemId).Max(o => o.Number))
            .Select(r => new { r.ContentItemId, r.Title })
            .ToDictionaryAsync(r => r.ContentItemId, r => r.Title, cancellationToken);
        var rows = items
            .Select(i => new ContentListRow(
                i.Id,
                i.Kind,
                i.Kind == ContentKind.Page ? SitePages.LabelOf(i.Slug) : "Article",
                titles.GetValueOrDefault(i.Id) ?? i.Slug,
                statuses[i.Id].LiveRevision is null ? null : ContentPublishing.PublicPath(i),
                statuses[i.Id]))
            .OrderBy(r => r.Kind)
            .ThenBy(r => r.Kind == ContentKind.Page ? SitePages.All.ToList().IndexOf(items.First(i => i.Id == r.Id).Slug) : 0)
            .ThenByDescending(r => r.Status.ChangedUtc)
            .ToList();
        return View(rows);
    }
}
