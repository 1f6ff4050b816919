using FluentValidation;
using FluentValidation.AspNetCore;
using KapPractice.Web.Domain;
using KapPractice.Web.Features.Admin;
using KapPractice.Web.Infrastructure.Data;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace KapPractice.Web.Features.Replies;

public sealed record TemplateEditPage(int? Id, ReplyTemplateForm Form);

/// <summary>The practitioner's reply templates: list, add, change, delete (after a confirmation).</summary>
[Authorize(Policy = AdminSetup.AdminPolicy)]
public sealed class ReplyTemplatesController(KapDbContext db, AuditLog audit, IValidator<ReplyTemplateForm> validator, TimeProvider time) : Controller
{
    private string Actor => User.Identity?.Name ?? AuditLog.UnknownActor;

    [HttpGet("/admin/templates")]
    public async Task<IActionResult> Templates(CancellationToken cancellationToken) =>
        View(await db.ReplyTemplates.AsNoTracking().OrderBy(t => t.Name).ThenBy(t => t.Id).ToListAsync(cancellationToken));

    [HttpGet("/admin/templates/new")]
    public IActionResult NewTemplate() => View("TemplateForm", new TemplateEditPage(null, new ReplyTemplateForm()));

    [HttpPost("/admin/templates/new")]
    public async Task<IActionResult> CreateTemplate([FromForm] ReplyTemplateForm form, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(form);
        var posted = form.Normalized();
        if (!await ValidAsync(posted, cancellationToken))
        {
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return View("TemplateForm", new TemplateEditPage(null, form));
        }

        var template = new ReplyTemplate { Name = posted.Name!, Subject = posted.Subject!, Body = posted.Body!, ChangedUtc = time.GetUtcNow().UtcDateTime };
        db.ReplyTemplates.Add(template);
        await SaveAuditedAsync(template, AuditActions.TemplateCreated, cancellationToken);
        TempData.SetAdminFlash($"Template “{template.Name}” added.");
        return RedirectToAction(nameof(Templates));
    }

    [HttpGet("/admin/templates/{id:int}/edit")]
    public async Task<IActionResult> EditTemplate(int id, CancellationToken cancellationToken)
    {
        var template = await db.ReplyTemplates.AsNoTracking().FirstOrDefaultAsync(t => t.Id == id, cancellationToken);
        return template is null ? NotFound() : View("TemplateForm", new TemplateEditPage(id, ReplyTemplateForm.From(template)));
    }

    [HttpPost("/admin/templates/{id:int}/edit")]
    public async Task<IActionResult> ChangeTemplate(int id, [FromForm] ReplyTemplateForm form, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(form);
        var template = await db.ReplyTemplates.FirstOrDefaultAsync(t => t.Id == id, cancellationToken);
        if (template is null)
        {
            return NotFound();
        }

        var posted = form.Normalized();
        if (!await ValidAsync(posted, cancellationToken))
        {
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return View("TemplateForm", new TemplateEditPage(id, form));
        }

        (template.Name, template.Subject, template.Body, template.ChangedUtc) = (posted.Name!, posted.Subject!, posted.Body!, time.GetUtcNow().UtcDateTime);
        await SaveAuditedAsync(template, AuditActions.TemplateChanged, cancellationToken);
        TempData.SetAdminFlash($"Template “{template.Name}” saved.");
        return RedirectToAction(nameof(Templates));
    }

    [HttpGet("/admin/templates/{id:int}/delete")]
    public async Task<IActionResult> ConfirmDeleteTemplate(int id, CancellationToken cancellationToken)
    {
        var template = await db.ReplyTemplates.AsNoTracking().FirstOrDefaultAsync(t => t.Id == id, cancellationToken);
        return template is null ? NotFound() : View(template);
    }

    [HttpPost("/admin/templates/{id:int}/delete")]
    public async Task<IActionResult> DeleteTemplate(int id, CancellationToken cancellationToken)
    {
        var template = await db.ReplyTemplates.FirstOrDefaultAsync(t => t.Id == id, cancellationToken);
        if (template is null)
        {
            return NotFound();
        }

        db.ReplyTemplates.Remove(template);
        audit.Add(Actor, AuditActions.TemplateDeleted, detail: $"template: {id}");
        await db.SaveChangesAsync(cancellationToken);
        TempData.SetAdminFlash($"Template “{template.Name}” deleted.");
        return RedirectToAction(nameof(Templates));
    }

    private async Task<bool> ValidAsync(ReplyTemplateForm posted, CancellationToken cancellationToken)
    {
        ModelState.Clear();
        var result = await validator.ValidateAsync(posted, cancellationToken);
        result.AddToModelState(ModelState);
        return result.IsValid;
    }

    /// <summary>The audit line names the template's id, known after the first save; both in one short transaction.</summary>
    private async Task SaveAuditedAsync(ReplyTemplate template, string action, CancellationToken cancellationToken)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
        audit.Add(Actor, action, detail: $"template: {template.Id}");
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }
}
