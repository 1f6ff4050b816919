using KapPractice.Web.Domain;
using KapPractice.Web.Features.AdminShell;
using KapPractice.Web.Features.FollowUp;
using KapPractice.Web.Infrastructure.Audit;
using KapPractice.Web.Infrastructure;
using KapPractice.Web.Infrastructure.Data;
using KapPractice.Web.Infrastructure.Email;
using KapPractice.Web.Infrastructure.Outbox;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace KapPractice.Web.Features.Admin;

public sealed record InquiryPage(Inquiry Inquiry, IReadOnlyList<AnswerGroup> Answers, string? NoteText);

public sealed record AuditPage(IReadOnlyList<AuditEntry> Entries, int Page, int TotalPages);

/// <summary>The practitioner's review of inquiries: list, detail, follow-up, export and the audit trail.</summary>
[Authorize(Policy = AdminSetup.AdminPolicy)]
public sealed class AdminController(
    KapDbContext db,
    AuditLog audit,
    UnitOfWork work,
    OutboxWriter outboxWriter,
    OutboxSignal outboxSignal,
    MailPickupFolder mailPickup,
    TimeProvider time,
    PracticeClock clock,
    FollowUpRules followUp,
    ILogger<AdminController> logger) : Controller
{
    public const int NoteMaxLength = TextLimits.Note;
    public const int AuditPageSize = 50;
    public const string AlreadyQueuedMessage = "A notification is already on its way: it is queued or being sent, so no second one was added.";
    public const string CallAheadMessage = "This inquiry has a consultation booked that has not happened yet: cancel the call first (the client is told), then delete the inquiry.";

    private string Actor => User.Identity?.Name ?? AuditLog.UnknownActor;

    [HttpGet("/admin")]
    public Task<IActionResult> Index(InquiryStatus? status, ScreeningOutcome? outcome, string? q, int? page, bool overdue, CancellationToken cancellationToken) =>
        ListAsync(spam: false, status, outcome, q, page, cancellationToken, overdue);

    [HttpGet("/admin/spam")]
    public Task<IActionResult> Spam(InquiryStatus? status, ScreeningOutcome? outcome, string? q, int? page, CancellationToken cancellationToken) =>
        ListAsync(spam: true, status, outcome, q, page, cancellationToken);

    [HttpGet("/admin/export")]
    public async Task<IActionResult> Export(InquiryStatus? status, ScreeningOutcome? outcome, string? q, bool spam, bool overdue, CancellationToken cancellationToken)
    {
        if (!ModelState.IsValid)
        {
            return BadRequest();
        }

        var filter = InquiryFilter.From(spam, status, outcome, q, 1) with { OverdueBeforeUtc = OverdueBefore(overdue && !spam) };
        var inquiries = (await filter.Apply(db.Inquiries.AsNoTracking()).ToListAsync(cancellationToken))
            .Where(i => filter.Matches(i.FullName, i.Email, i.Outcome)).ToList();
        var csv = InquiryCsv.Write(inquiries, clock);
        audit.Add(Actor, AuditActions.Exported, detail: $"rows: {inquiries.Count}; {filter.AuditDescription()}");
        await db.SaveChangesAsync(cancellationToken);
        var stamp = time.GetUtcNow().UtcDateTime.ToString("yyyy-MM-dd-HHmm", System.Globalization.CultureInfo.InvariantCulture);
        return File(csv, "text/csv; charset=utf-8", $"inquiries-{stamp}.csv");
    }

    [HttpGet("/admin/inquiries/{id:int}")]
    public async Task<IActionResult> Inquiry(int id, CancellationToken cancellationToken)
    {
        var inquiry = await db.LoadInquiryForAdminAsync(id, cancellationToken);
        if (inquiry is null)
        {
            return NotFound();
        }

        inquiry.MarkViewed(time.GetUtcNow().UtcDateTime);
        audit.Add(Actor, AuditActions.Viewed, id);
        await db.SaveChangesAsync(cancellationToken);
        return View(new InquiryPage(inquiry, AnswerSheet.For(inquiry, clock.Format), null));
    }

    [HttpPost("/admin/inquiries/{id:int}/status")]
    public async Task<IActionResult> ChangeStatus(int id, [FromForm] InquiryStatus? status, CancellationToken cancellationToken)
    {
        if (status is not { } newStatus || !Enum.IsDefined(newStatus))
        {
            return BadRequest();
        }

        var inquiry = await db.Inquiries.FindAsync([id], cancellationToken);
        if (inquiry is null)
        {
            return NotFound();
        }

        if (inquiry.Status != newStatus)
        {
            inquiry.Status = newStatus;
            inquiry.StatusChangedUtc = time.GetUtcNow().UtcDateTime;
            audit.Add(Actor, AuditActions.StatusChanged, id, $"status: {newStatus}");
            await db.SaveChangesAsync(cancellationToken);
        }

        TempData.SetAdminFlash($"Status set to {Labels.For(newStatus)}.");
        return RedirectToAction(nameof(Inquiry), new { id });
    }

    [HttpPost("/admin/inquiries/{id:int}/notes")]
    public async Task<IActionResult> AddNote(int id, [FromForm] string? text, CancellationToken cancellationToken)
    {
        var inquiry = await db.LoadInquiryForAdminAsync(id, cancellationToken);
        if (inquiry is null)
        {
            return NotFound();
        }

        var note = text?.Trim();
        if (string.IsNullOrEmpty(note) || note.Length > NoteMaxLength)
        {
            ModelState.AddModelError("text", string.IsNullOrEmpty(note)
                ? "Enter the note."
                : $"A note can be at most {NoteMaxLength:N0} characters; this one has {note.Length:N0}.");
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return View(nameof(Inquiry), new InquiryPage(inquiry, AnswerSheet.For(inquiry, clock.Format), text));
        }

        db.InquiryNotes.Add(new InquiryNote { InquiryId = id, Author = Actor, Text = note, CreatedUtc = time.GetUtcNow().UtcDateTime });
        audit.Add(Actor, AuditActions.NoteAdded, id);
        await db.SaveChangesAsync(cancellationToken);
        TempData.SetAdminFlash("Note added.");
        return RedirectToAction(nameof(Inquiry), new { id });
    }

    [HttpPost("/admin/inquiries/{id:int}/resend")]
    [UnitOfWork]
    public async Task<IActionResult> Resend(int id, CancellationToken cancellationToken)
    {
        var inquiry = await db.Inquiries.FindAsync([id], cancellationToken);
        if (inquiry is null)
        {
            return NotFound();
        }

        // Checked and queued in one section, so two clicks (on one instance or two) queue one notification.
        await db.Database.LockSectionAsync($"notification-resend:{id}", cancellationToken);
        if (await outboxWriter.AddNotificationResendAsync(inquiry, cancellationToken) is null)
        {
            TempData.SetAdminFlash(AlreadyQueuedMessage);
            return RedirectToAction(nameof(Inquiry), new { id });
        }

        audit.Add(User.AuditName(), AuditActions.NotificationResent, id);
        work.AfterCommit(() =>
        {
            outboxSignal.Nudge();
            logger.NotificationResent(id);
        });
        TempData.SetAdminFlash("The notification is queued to be sent again.");
        return RedirectToAction(nameof(Inquiry), new { id });
    }

    [HttpPost("/admin/inquiries/{id:int}/spam")]
    public Task<IActionResult> MarkSpam(int id, CancellationToken cancellationToken) => SetSpamAsync(id, spam: true, cancellationToken);

    [HttpPost("/admin/inquiries/{id:int}/not-spam")]
    public Task<IActionResult> MarkNotSpam(int id, CancellationToken cancellationToken) => SetSpamAsync(id, spam: false, cancellationToken);

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

    private Task<bool> HasCallAheadAsync(int id, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow().UtcDateTime;
        return db.Bookings.Where(BookingFilters.StillAhead(now)).AnyAsync(b => b.InquiryId == id, cancellationToken);
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
            return RedirectToAction(nameof(Inquiry), new { id });
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
        return RedirectToAction(nameof(Index));
    }

    [HttpGet("/admin/audit")]
    public async Task<IActionResult> Audit(int? page, CancellationToken cancellationToken)
    {
        var total = await db.AuditEntries.CountAsync(cancellationToken);
        var totalPages = Math.Max(1, (total + AuditPageSize - 1) / AuditPageSize);
        var current = Math.Clamp(page ?? 1, 1, totalPages);
        var entries = await db.AuditEntries.AsNoTracking()
            .OrderByDescending(e => e.OccurredUtc).ThenByDescending(e => e.Id)
            .Skip((current - 1) * AuditPageSize).Take(AuditPageSize)
            .ToListAsync(cancellationToken);
        return View(new AuditPage(entries, current, totalPages));
    }

    private async Task<IActionResult> ListAsync(bool spam, InquiryStatus? status, ScreeningOutcome? outcome, string? q, int? page, CancellationToken cancellationToken, bool overdue = false)
    {
        if (!ModelState.IsValid)
        {
            return BadRequest();
        }

        var filter = InquiryFilter.From(spam, status, outcome, q, page) with { OverdueBeforeUtc = OverdueBefore(overdue) };
        var model = await db.LoadPageAsync(filter, cancellationToken);
        return View("Index", model);
    }

    private async Task<IActionResult> SetSpamAsync(int id, bool spam, CancellationToken cancellationToken)
    {
        var inquiry = await db.Inquiries.FindAsync([id], cancellationToken);
        if (inquiry is null)
        {
            return NotFound();
        }

        if (inquiry.IsSuspectedSpam != spam)
        {
            inquiry.IsSuspectedSpam = spam;
            inquiry.SpamReason = spam ? "Marked as spam by the practitioner" : null;
            audit.Add(Actor, spam ? AuditActions.MarkedSpam : AuditActions.MarkedNotSpam, id);
            await db.SaveChangesAsync(cancellationToken);
        }

        TempData.SetAdminFlash(spam ? "Marked as spam: it is now in the spam tab." : "Marked as not spam: it is back in the inquiries list.");
        return RedirectToAction(nameof(Inquiry), new { id });
    }

    private DateTime? OverdueBefore(bool overdue) => overdue ? followUp.OverdueIfReceivedBeforeUtc() : null;

}
