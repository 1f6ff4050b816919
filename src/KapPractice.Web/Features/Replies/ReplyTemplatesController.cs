using FluentValidation;
using KapPractice.Web.Domain;
using KapPractice.Web.Features.AdminShell;
using KapPractice.Web.Infrastructure.Audit;
using KapPractice.Web.Infrastructure.Data;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;

namespace KapPractice.Web.Features.Replies;

public sealed record TemplateEditPage(int? Id, ReplyTemplateForm Form);

/// <summary>The practitioner's reply templates: list, add, change, delete (after a confirmation).</summary>
[Authorize(Policy = AdminSetup.AdminPolicy)]
public sealed class ReplyTemplatesController(KapDbContext db, AuditLog audit, IValidator<ReplyTemplateForm> validator, TimeProvider time)
    : AdminListController<ReplyTemplate, ReplyTemplateForm>(db, audit, validator, time)
{
    protected override AdminListWords Words { get; } = new("Template", AuditActions.TemplateCreated, AuditActions.TemplateChanged, AuditActions.TemplateDeleted);

    protected override string FormView => "TemplateForm";

    protected override string ListAction => nameof(Templates);

    [HttpGet("/admin/templates")]
    public Task<IActionResult> Templates(CancellationToken cancellationToken) => ListAsync(cancellationToken);

    [HttpGet("/admin/templates/new")]
    public IActionResult NewTemplate() => NewForm(new ReplyTemplateForm());

    [HttpPost("/admin/templates/new")]
    [UnitOfWork]
    public Task<IActionResult> CreateTemplate([FromForm] ReplyTemplateForm form, CancellationToken cancellationToken) => CreateAsync(form, cancellationToken);

    [HttpGet("/admin/templates/{id:int}/edit")]
    public Task<IActionResult> EditTemplate(int id, CancellationToken cancellationToken) => EditFormAsync(id, cancellationToken);

    [HttpPost("/admin/templates/{id:int}/edit")]
    [UnitOfWork]
    public Task<IActionResult> ChangeTemplate(int id, [FromForm] ReplyTemplateForm form, CancellationToken cancellationToken) => ChangeAsync(id, form, cancellationToken);

    [HttpGet("/admin/templates/{id:int}/delete")]
    public Task<IActionResult> ConfirmDeleteTemplate(int id, CancellationToken cancellationToken) => ConfirmDeleteAsync(id, cancellationToken);

    [HttpPost("/admin/templates/{id:int}/delete")]
    [UnitOfWork]
    public Task<IActionResult> DeleteTemplate(int id, CancellationToken cancellationToken) => DeleteAsync(id, cancellationToken);

    protected override ReplyTemplateForm Normalized(ReplyTemplateForm form) => form.Normalized();

    protected override ReplyTemplateForm FormOf(ReplyTemplate item) => ReplyTemplateForm.From(item);

    protected override object EditPage(int? id, ReplyTemplateForm form) => new TemplateEditPage(id, form);

    protected override ReplyTemplate NewItem(ReplyTemplateForm posted, DateTime nowUtc) =>
        new() { Name = posted.Name!, Subject = posted.Subject!, Body = posted.Body!, ChangedUtc = nowUtc };

    protected override void Apply(ReplyTemplate item, ReplyTemplateForm posted, DateTime nowUtc) =>
        (item.Name, item.Subject, item.Body, item.ChangedUtc) = (posted.Name!, posted.Subject!, posted.Body!, nowUtc);
}
