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
/// Writing a page or article: Save draft, Preview (rendered by the public site's own view, nothing saved), Publish now,
/// Schedule (unpublishing is ContentUnpublishController's). Every save is a new revision; a change visitors can see
/// bumps the content version, so every instance serves it within seconds.
/// </summary>
[Authorize(Policy = AdminSetup.AdminPolicy)]
public sealed class ContentEditorController(
    KapDbContext db, AuditLog audit, UnitOfWork work, PublishedContent published, PracticeClock clock, TimeProvider time,
    Microsoft.Extensions.Options.IOptions<PracticeOptions> practice) : Controller
{
    [HttpGet(ContentPaths.NewArticle)]
    public async Task<IActionResult> NewArticle(CancellationToken cancellationToken)
    {
        var form = new ContentForm
        {
            Author = practice.Value.Name, // who a new article is by until she says otherwise
            PublishedOn = DateOnly.FromDateTime(clock.LocalNow).ToString(ContentForm.DateFormat, System.Globalization.CultureInfo.InvariantCulture),
        };
        return View("Edit", await PageAsync(null, ContentKind.Article, form, cancellationToken));
    }

    [HttpPost(ContentPaths.NewArticle)]
    [UnitOfWork(ContentPublishing.ChangesSection)]
    public async Task<IActionResult> CreateArticle([FromForm] ContentForm form, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(form);
        var posted = form.Normalized();
        var item = new ContentItem { Kind = ContentKind.Article, Slug = posted.Slug ?? string.Empty, ChangedBy = User.AuditName(), ChangedUtc = Now };
        if (await RefusedAsync(item, posted, null, cancellationToken) is { } refusal)
        {
            work.Discard();
            return refusal;
        }

        if (posted.Action == ContentEditAction.Preview)
        {
            work.Discard();
            return await PreviewAsync(item, posted, cancellationToken);
        }

        db.ContentItems.Add(item);
        return await SaveAsync(item, posted, cancellationToken);
    }

    [HttpGet(ContentPaths.Item)]
    public async Task<IActionResult> Edit(int id, CancellationToken cancellationToken)
    {
        if (await FindAsync(id, cancellationToken) is not { } item)
        {
            return NotFound();
        }

        var latest = await db.ContentRevisions.AsNoTracking().Where(r => r.ContentItemId == id).OrderByDescending(r => r.Number).FirstAsync(cancellationToken);
        var form = ContentForm.From(latest);
        if (item.ScheduledRevisionId is not null && item.PublishAtUtc is { } at)
        {
            form.PublishAt = clock.ToLocal(at).ToString(ContentForm.DateTimeFormat, System.Globalization.CultureInfo.InvariantCulture);
        }

        return View(await PageAsync(item, item.Kind, form, cancellationToken));
    }

    [HttpPost(ContentPaths.Item)]
    [UnitOfWork(ContentPublishing.ChangesSection)]
    public async Task<IActionResult> Change(int id, [FromForm] ContentForm form, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(form);
        if (await FindAsync(id, cancellationToken) is not { } item)
        {
            work.Discard();
            return NotFound();
        }

        var posted = form.Normalized();
        if (posted.Action == ContentEditAction.Preview)
        {
            work.Discard();
            return await RefusedAsync(item, posted, null, cancellationToken) ?? await PreviewAsync(item, posted, cancellationToken);
        }

        var latest = await db.ContentRevisions.Where(r => r.ContentItemId == id).MaxAsync(r => r.Number, cancellationToken);
        var conflict = posted.BaseRevision != latest
            ? $"This was saved again (revision {latest}) after you opened it, perhaps in another window. Your text is below, not saved: open the history to compare, then save again."
            : null;
        if (await RefusedAsync(item, posted, conflict, cancellationToken) is { } refusal)
        {
            work.Discard();
            return refusal;
        }

        return await SaveAsync(item, posted, cancellationToken);
    }

    private DateTime Now => time.GetUtcNow().UtcDateTime;

    private Task<ContentItem?> FindAsync(int id, CancellationToken cancellationToken) => ContentDrafts.FindLiveAsync(db, id, cancellationToken);

    /// <summary>The form again with its messages (400, or 409 for a save over a newer revision), or null when it may go on.</summary>
    private async Task<IActionResult?> RefusedAsync(ContentItem item, ContentForm posted, string? conflict, CancellationToken cancellationToken)
    {
        foreach (var (field, message) in await ContentEditChecks.ProblemsAsync(db, clock, Now, item, posted, cancellationToken))
        {
            ModelState.AddModelError(field, message);
        }

        if (conflict is not null)
        {
            ModelState.AddModelError(string.Empty, conflict);
        }

        if (ModelState.IsValid)
        {
            return null;
        }

        Response.StatusCode = conflict is null ? StatusCodes.Status400BadRequest : StatusCodes.Status409Conflict;
        return View("Edit", await PageAsync(item.Id == 0 ? null : item, item.Kind, posted, cancellationToken));
    }

    private async Task<IActionResult> SaveAsync(ContentItem item, ContentForm posted, CancellationToken cancellationToken)
    {
        var actor = User.AuditName();
        if (item.FirstPublishedUtc is null && item.Kind == ContentKind.Article)
        {
            // Never live, so no link to it exists yet: its address follows the draft.
            item.Slug = posted.Slug!;
        }

        var revision = await ContentDrafts.AddRevisionAsync(db, item, posted, actor, Now, null, cancellationToken);
        string flash;
        switch (posted.Action)
        {
            case ContentEditAction.Publish:
                await ContentPublishing.PublishAsync(db, item, revision, Now, cancellationToken);
                audit.Add(actor, AuditActions.ContentPublished, detail: ContentPublishing.Describe(item, revision.Number));
                await work.VisibleChangeAsync(db, published, cancellationToken);
                flash = $"Published. Visitors see it now at {ContentPublishing.PublicPath(item)}.";
                break;
            case ContentEditAction.Schedule:
                item.ScheduledRevisionId = revision.Id;
                item.PublishAtUtc = clock.ToUtc(ContentForm.ParseLocalDateTime(posted.PublishAt)!.Value);
                audit.Add(actor, AuditActions.ContentScheduled, detail: $"{ContentPublishing.Describe(item, revision.Number)} for {clock.Format(item.PublishAtUtc.Value)}");
                await work.VisibleChangeAsync(db, published, cancellationToken);
                flash = $"Scheduled: it goes live {clock.Format(item.PublishAtUtc.Value)}.";
                break;
            default:
                audit.Add(actor, AuditActions.ContentSaved, detail: ContentPublishing.Describe(item, revision.Number));
                flash = item.PublishedRevisionId is null
                    ? "Saved as a draft. Visitors do not see it until you publish it."
                    : "Saved as a draft. Visitors still see the published version until you publish this one.";
                break;
        }

        TempData.SetAdminFlash(flash);
        return Redirect(ContentPaths.Editor(item.Id));
    }

    /// <summary>The page as the public site renders it, from the unsaved form: the public view and layout, marked as a preview.</summary>
    private async Task<IActionResult> PreviewAsync(ContentItem item, ContentForm posted, CancellationToken cancellationToken)
    {
        var preview = await ContentPreview.BuildAsync(db, published.Current, item, posted, cancellationToken);
        ViewData[PreviewBanner.Key] = new PreviewBanner(item.Id == 0 ? ContentPaths.NewArticle : ContentPaths.Editor(item.Id), preview.Placeholders);
        Response.Headers.CacheControl = "no-store";
        return View(preview.ViewPath, preview.Model);
    }

    private Task<ContentEditPage> PageAsync(ContentItem? item, ContentKind kind, ContentForm form, CancellationToken cancellationToken) =>
        ContentEditPage.BuildAsync(db, clock, Now, item, kind, form, cancellationToken);
}
