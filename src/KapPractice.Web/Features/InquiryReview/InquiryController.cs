using KapPractice.Web.Domain;
using KapPractice.Web.Features.AdminShell;
using KapPractice.Web.Features.FollowUp;
using KapPractice.Web.Infrastructure.Audit;
using KapPractice.Web.Infrastructure;
using KapPractice.Web.Infrastructure.Data;
using KapPractice.Web.Infrastructure.Outbox;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;

namespace KapPractice.Web.Features.InquiryReview;

public sealed record InquiryPage(Inquiry Inquiry, IReadOnlyList<AnswerGroup> Answers, string? NoteText);

/// <summary>One inquiry's page and the changes made from it: status, a note, spam or not, the notification again.</summary>
[Authorize(Policy = AdminSetup.AdminPolicy)]
public sealed class InquiryController(
    KapDbContext db,
    AuditLog audit,
    UnitOfWork work,
    OutboxWriter outboxWriter,
    OutboxSignal outboxSignal,
    TimeProvider time,
    PracticeClock clock,
    ILogger<InquiryController> logger) : Controller
{
    /// <summary>The controller's name in routing, for links from other pages.</summary>
    public const string Name = "Inquiry";
    public const int NoteMaxLength = TextLimits.Note;
    public const string AlreadyQueuedMessage = "A notification is already on its way: it is queued or being sent, so no second one was added.";

    [HttpGet("/admin/inquiries/{id:int}")]
    [UnitOfWork]
    public async Task<IActionResult> Inquiry(int id, CancellationToken cancellationToken)
    {
        var inquiry = await db.LoadInquiryForAdminAsync(id, cancellationToken);
        if (inquiry is null)
        {
            return NotFound();
        }

        inquiry.MarkViewed(time.GetUtcNow().UtcDateTime);
        audit.Add(User.AuditName(), AuditActions.Viewed, id);
        return View(new InquiryPage(inquiry, AnswerSheet.For(inquiry, clock.Format), null));
    }

    [HttpPost("/admin/inquiries/{id:int}/status")]
    [UnitOfWork]
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
            audit.Add(User.AuditName(), AuditActions.StatusChanged, id, $"status: {newStatus}");
        }

        TempData.SetAdminFlash($"Status set to {Labels.For(newStatus)}.");
        return RedirectToAction(nameof(Inquiry), new { id });
    }

    [HttpPost("/admin/inquiries/{id:int}/notes")]
    [UnitOfWork]
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

        var actor = User.AuditName();
        db.InquiryNotes.Add(new InquiryNote { InquiryId = id, Author = actor, Text = note, CreatedUtc = time.GetUtcNow().UtcDateTime });
        audit.Add(actor, AuditActions.NoteAdded, id);
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
    [UnitOfWork]
    public Task<IActionResult> MarkSpam(int id, CancellationToken cancellationToken) => SetSpamAsync(id, spam: true, cancellationToken);

    [HttpPost("/admin/inquiries/{id:int}/not-spam")]
    [UnitOfWork]
    public Task<IActionResult> MarkNotSpam(int id, CancellationToken cancellationToken) => SetSpamAsync(id, spam: false, cancellationToken);

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
            audit.Add(User.AuditName(), spam ? AuditActions.MarkedSpam : AuditActions.MarkedNotSpam, id);
        }

        TempData.SetAdminFlash(spam ? "Marked as spam: it is now in the spam tab." : "Marked as not spam: it is back in the inquiries list.");
        return RedirectToAction(nameof(Inquiry), new { id });
    }
}
