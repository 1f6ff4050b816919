using FluentValidation;
using FluentValidation.AspNetCore;
using KapPractice.Web.Domain;
using KapPractice.Web.Features.AdminShell;
using KapPractice.Web.Infrastructure.Audit;
using KapPractice.Web.Infrastructure.Data;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace KapPractice.Web.Features.Replies;

/// <summary>What one kind of list row says in audit lines and flashes.</summary>
public sealed record AdminListWords(string Noun, string Created, string Changed, string Deleted);

/// <summary>
/// The list, add, change and delete-after-confirmation pages of one kind of row, audited. A subclass names its
/// routes (one-line actions calling these) and how its form and row map onto each other. The actions that change a
/// row carry <see cref="UnitOfWorkAttribute"/>: the change and its audit line are saved and committed together by it.
/// </summary>
public abstract class AdminListController<TItem, TForm>(KapDbContext db, AuditLog audit, IValidator<TForm> validator, TimeProvider time) : Controller
    where TItem : class, IAdminListItem
{
    protected abstract AdminListWords Words { get; }

    /// <summary>The view that shows the add/change form.</summary>
    protected abstract string FormView { get; }

    /// <summary>The action of the list page, where every change goes back to.</summary>
    protected abstract string ListAction { get; }

    protected abstract TForm Normalized(TForm form);

    protected abstract TForm FormOf(TItem item);

    protected abstract object EditPage(int? id, TForm form);

    protected abstract TItem NewItem(TForm posted, DateTime nowUtc);

    protected abstract void Apply(TItem item, TForm posted, DateTime nowUtc);

    private DbSet<TItem> Items => db.Set<TItem>();

    protected async Task<IActionResult> ListAsync(CancellationToken cancellationToken) =>
        View(await Items.AsNoTracking().OrderBy(t => t.Name).ThenBy(t => t.Id).ToListAsync(cancellationToken));

    protected IActionResult NewForm(TForm empty) => View(FormView, EditPage(null, empty));

    protected async Task<IActionResult> CreateAsync(TForm form, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(form);
        var posted = Normalized(form);
        if (!await ValidAsync(posted, cancellationToken))
        {
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return View(FormView, EditPage(null, form));
        }

        var item = NewItem(posted, time.GetUtcNow().UtcDateTime);
        Items.Add(item);
        // Saved now, inside the unit of work: the audit line names the new row's id.
        await db.SaveChangesAsync(cancellationToken);
        audit.Add(User.AuditName(), Words.Created, detail: AuditDetail(item.Id));
        TempData.SetAdminFlash($"{Words.Noun} “{item.Name}” added.");
        return RedirectToAction(ListAction);
    }

    protected async Task<IActionResult> EditFormAsync(int id, CancellationToken cancellationToken)
    {
        var item = await Items.AsNoTracking().FirstOrDefaultAsync(t => t.Id == id, cancellationToken);
        return item is null ? NotFound() : View(FormView, EditPage(id, FormOf(item)));
    }

    protected async Task<IActionResult> ChangeAsync(int id, TForm form, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(form);
        var item = await Items.FirstOrDefaultAsync(t => t.Id == id, cancellationToken);
        if (item is null)
        {
            return NotFound();
        }

        var posted = Normalized(form);
        if (!await ValidAsync(posted, cancellationToken))
        {
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return View(FormView, EditPage(id, form));
        }

        Apply(item, posted, time.GetUtcNow().UtcDateTime);
        audit.Add(User.AuditName(), Words.Changed, detail: AuditDetail(item.Id));
        TempData.SetAdminFlash($"{Words.Noun} “{item.Name}” saved.");
        return RedirectToAction(ListAction);
    }

    protected async Task<IActionResult> ConfirmDeleteAsync(int id, CancellationToken cancellationToken)
    {
        var item = await Items.AsNoTracking().FirstOrDefaultAsync(t => t.Id == id, cancellationToken);
        return item is null ? NotFound() : View(item);
    }

    protected async Task<IActionResult> DeleteAsync(int id, CancellationToken cancellationToken)
    {
        var item = await Items.FirstOrDefaultAsync(t => t.Id == id, cancellationToken);
        if (item is null)
        {
            return NotFound();
        }

        Items.Remove(item);
        audit.Add(User.AuditName(), Words.Deleted, detail: AuditDetail(id));
        TempData.SetAdminFlash($"{Words.Noun} “{item.Name}” deleted.");
        return RedirectToAction(ListAction);
    }

    private string AuditDetail(int id) => $"{Words.Noun.ToLowerInvariant()}: {id}";

    private async Task<bool> ValidAsync(TForm posted, CancellationToken cancellationToken)
    {
        ModelState.Clear();
        var result = await validator.ValidateAsync(posted, cancellationToken);
        result.AddToModelState(ModelState);
        return result.IsValid;
    }
}
