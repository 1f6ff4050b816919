using FluentValidation;
using KapPractice.Web.Domain;
using KapPractice.Web.Features.AdminShell;
using KapPractice.Web.Infrastructure.Audit;
using KapPractice.Web.Infrastructure.Data;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;

namespace KapPractice.Web.Features.Replies;

public sealed record ReferralEditPage(int? Id, ReferralForm Form);

/// <summary>The practitioner's referral list: list, add, change, delete (after a confirmation).</summary>
[Authorize(Policy = AdminSetup.AdminPolicy)]
public sealed class ReferralsController(KapDbContext db, AuditLog audit, IValidator<ReferralForm> validator, TimeProvider time)
    : AdminListController<Referral, ReferralForm>(db, audit, validator, time)
{
    protected override AdminListWords Words { get; } = new("Referral", AuditActions.ReferralCreated, AuditActions.ReferralChanged, AuditActions.ReferralDeleted);

    protected override string FormView => "ReferralForm";

    protected override string ListAction => nameof(Referrals);

    [HttpGet("/admin/referrals")]
    public Task<IActionResult> Referrals(CancellationToken cancellationToken) => ListAsync(cancellationToken);

    [HttpGet("/admin/referrals/new")]
    public IActionResult NewReferral() => NewForm(new ReferralForm());

    [HttpPost("/admin/referrals/new")]
    [UnitOfWork]
    public Task<IActionResult> CreateReferral([FromForm] ReferralForm form, CancellationToken cancellationToken) => CreateAsync(form, cancellationToken);

    [HttpGet("/admin/referrals/{id:int}/edit")]
    public Task<IActionResult> EditReferral(int id, CancellationToken cancellationToken) => EditFormAsync(id, cancellationToken);

    [HttpPost("/admin/referrals/{id:int}/edit")]
    [UnitOfWork]
    public Task<IActionResult> ChangeReferral(int id, [FromForm] ReferralForm form, CancellationToken cancellationToken) => ChangeAsync(id, form, cancellationToken);

    [HttpGet("/admin/referrals/{id:int}/delete")]
    public Task<IActionResult> ConfirmDeleteReferral(int id, CancellationToken cancellationToken) => ConfirmDeleteAsync(id, cancellationToken);

    [HttpPost("/admin/referrals/{id:int}/delete")]
    [UnitOfWork]
    public Task<IActionResult> DeleteReferral(int id, CancellationToken cancellationToken) => DeleteAsync(id, cancellationToken);

    protected override ReferralForm Normalized(ReferralForm form) => form.Normalized();

    protected override ReferralForm FormOf(Referral item) => ReferralForm.From(item);

    protected override object EditPage(int? id, ReferralForm form) => new ReferralEditPage(id, form);

    protected override Referral NewItem(ReferralForm posted, DateTime nowUtc) =>
        new() { Name = posted.Name!, Purpose = posted.Purpose!, Contact = posted.Contact!, ChangedUtc = nowUtc };

    protected override void Apply(Referral item, ReferralForm posted, DateTime nowUtc) =>
        (item.Name, item.Purpose, item.Contact, item.ChangedUtc) = (posted.Name!, posted.Purpose!, posted.Contact!, nowUtc);
}
