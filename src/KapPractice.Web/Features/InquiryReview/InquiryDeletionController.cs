using KapPractice.Web.Domain;
using KapPractice.Web.Features.AdminShell;
using KapPractice.Web.Infrastructure.Audit;
using KapPractice.Web.Infrastructure.Data;
using KapPractice.Web.Infrastructure.Email;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace KapPractice.Web.Features.InquiryReview;

/// <summary>Deleting one inquiry, after a confirmation page, with its notes and emails; never while a call is still ahead.</summary>
[Authorize(Policy = AdminSetup.AdminPolicy)]
public sealed class InquiryDeletionController(
    KapDbContext db,
    AuditLog audit,
    UnitOfWork work,
    MailPickupFolder mailPickup,
    TimeProvider time,
    ILogger<InquiryDeletionController> logger) : Controller
{
    /// <summary>The controller's name in routing, for links from other pages.</summary>
    public const string Name = "InquiryDeletion";
    public const string CallAheadMessage = "This inquiry has a consultation booked that has not happened yet: cancel the call first (the client is told), then delete the inquiry.";

    [HttpGet("/admin/inquiries/{id:int}/delete")]
    public async Task<IActionResult> ConfirmDelete(int id, CancellationToken cancellationToken)
    {
        var inquiry = await db.Inquiries.AsNoTracking().FirstOrDefaultAsync(i => i.Id == id, cancellationToken);
        if (inquiry is null)
        {
            return NotFound();
        }

        ViewData[nameof(CallAheadMessage)] = await HasCallAheadAsync(id, cancellationToken);
        return View(inquiry);
    }

    [HttpPost("/admin/inquiries/{id:int}/delete")]
    [UnitOfWork]
    public async Task<IActionResult> Delete(int id, CancellationToken cancellationToken)
    {
        // Deleting would silently drop a call the client is counting on (and its cancellation email). The row lock
        // makes a booking being saved at this moment either seen here or refused after (its inquiry gone).
        await db.Database.LockInquiryAsync(id, cancellationToken);
        if (await HasCallAheadAsync(id, cancellationToken))
        {
            TempData.SetAdminFlash(CallAheadMessage);
            return RedirectToAction(nameof(InquiryController.Inquiry), InquiryController.Name, new { id });
        }

        // Collected first: the rows go with the inquiry (ON DELETE CASCADE), their .eml copies after the commit.
        var outboxIds = await db.OutboxMessages.Where(m => m.InquiryId == id).Select(m => m.Id).ToListAsync(cancellationToken);
        var deleted = await db.Inquiries.Where(i => i.Id == id).ExecuteDeleteAsync(cancellationToken);
        if (deleted == 0)
        {
            return NotFound();
        }

        audit.Add(User.AuditName(), AuditActions.Deleted, id);
        work.AfterCommit(async () =>
        {
            mailPickup.DeleteFor(outboxIds);
            // The deleted rows' bytes (zeroed by secure_delete) leave the WAL too.
            await db.Database.CheckpointAsync(CancellationToken.None);
            logger.InquiryDeleted(id);
        });
        TempData.SetAdminFlash($"Inquiry {id} was deleted, with its notes and emails.");
        return RedirectToAction(nameof(InquiryListController.Index), InquiryListController.Name);
    }

    private Task<bool> HasCallAheadAsync(int id, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow().UtcDateTime;
        return db.Bookings.Where(BookingFilters.StillAhead(now)).AnyAsync(b => b.InquiryId == id, cancellationToken);
    }
}
