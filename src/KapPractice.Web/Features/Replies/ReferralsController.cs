using FluentValidation;
using FluentValidation.AspNetCore;
using KapPractice.Web.Domain;
using KapPractice.Web.Features.Admin;
using KapPractice.Web.Infrastructure.Data;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace KapPractice.Web.Features.Replies;

public sealed record ReferralEditPage(int? Id, ReferralForm Form);

/// <summary>The practitioner's referral list: list, add, change, delete (after a confirmation).</summary>
[Authorize(Policy = AdminSetup.AdminPolicy)]
public sealed class ReferralsController(KapDbContext db, AuditLog audit, IValidator<ReferralForm> validator, TimeProvider time) : Controller
{
    private string Actor => User.Identity?.Name ?? AuditLog.UnknownActor;

    [HttpGet("/admin/referrals")]
    public async Task<IActionResult> Referrals(CancellationToken cancellationToken) =>
        View(await db.Referrals.AsNoTracking().OrderBy(t => t.Name).ThenBy(t => t.Id).ToListAsync(cancellationToken));

    [HttpGet("/admin/referrals/new")]
    public IActionResult NewReferral() => View("ReferralForm", new ReferralEditPage(null, new ReferralForm()));

    [HttpPost("/admin/referrals/new")]
    public async Task<IActionResult> CreateReferral([FromForm] ReferralForm form, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(form);
        var posted = form.Normalized();
        if (!await ValidAsync(posted, cancellationToken))
        {
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return View("ReferralForm", new ReferralEditPage(null, form));
        }

        var referral = new Referral { Name = posted.Name!, Purpose = posted.Purpose!, Contact = posted.Contact!, ChangedUtc = time.GetUtcNow().UtcDateTime };
        db.Referrals.Add(referral);
        await SaveAuditedAsync(referral, AuditActions.ReferralCreated, cancellationToken);
        TempData.SetAdminFlash($"Referral “{referral.Name}” added.");
        return RedirectToAction(nameof(Referrals));
    }

    [HttpGet("/admin/referrals/{id:int}/edit")]
    public async Task<IActionResult> EditReferral(int id, CancellationToken cancellationToken)
    {
        var referral = await db.Referrals.AsNoTracking().FirstOrDefaultAsync(t => t.Id == id, cancellationToken);
        return referral is null ? NotFound() : View("ReferralForm", new ReferralEditPage(id, ReferralForm.From(referral)));
    }

    [HttpPost("/admin/referrals/{id:int}/edit")]
    public async Task<IActionResult> ChangeReferral(int id, [FromForm] ReferralForm form, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(form);
        var referral = await db.Referrals.FirstOrDefaultAsync(t => t.Id == id, cancellationToken);
        if (referral is null)
        {
            return NotFound();
        }

        var posted = form.Normalized();
        if (!await ValidAsync(posted, cancellationToken))
        {
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return View("ReferralForm", new ReferralEditPage(id, form));
        }

        (referral.Name, referral.Purpose, referral.Contact, referral.ChangedUtc) = (posted.Name!, posted.Purpose!, posted.Contact!, time.GetUtcNow().UtcDateTime);
        await SaveAuditedAsync(referral, AuditActions.ReferralChanged, cancellationToken);
        TempData.SetAdminFlash($"Referral “{referral.Name}” saved.");
        return RedirectToAction(nameof(Referrals));
    }

    [HttpGet("/admin/referrals/{id:int}/delete")]
    public async Task<IActionResult> ConfirmDeleteReferral(int id, CancellationToken cancellationToken)
    {
        var referral = await db.Referrals.AsNoTracking().FirstOrDefaultAsync(t => t.Id == id, cancellationToken);
        return referral is null ? NotFound() : View(referral);
    }

    [HttpPost("/admin/referrals/{id:int}/delete")]
    public async Task<IActionResult> DeleteReferral(int id, CancellationToken cancellationToken)
    {
        var referral = await db.Referrals.FirstOrDefaultAsync(t => t.Id == id, cancellationToken);
        if (referral is null)
        {
            return NotFound();
        }

        db.Referrals.Remove(referral);
        audit.Add(Actor, AuditActions.ReferralDeleted, detail: $"referral: {id}");
        await db.SaveChangesAsync(cancellationToken);
        TempData.SetAdminFlash($"Referral “{referral.Name}” deleted.");
        return RedirectToAction(nameof(Referrals));
    }

    private async Task<bool> ValidAsync(ReferralForm posted, CancellationToken cancellationToken)
    {
        ModelState.Clear();
        var result = await validator.ValidateAsync(posted, cancellationToken);
        result.AddToModelState(ModelState);
        return result.IsValid;
    }

    /// <summary>The audit line names the referral's id, known after the first save; both in one short transaction.</summary>
    private async Task SaveAuditedAsync(Referral referral, string action, CancellationToken cancellationToken)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
        audit.Add(Actor, action, detail: $"referral: {referral.Id}");
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }
}
