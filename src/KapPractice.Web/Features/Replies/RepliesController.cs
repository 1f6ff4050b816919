using FluentValidation;
using FluentValidation.AspNetCore;
using KapPractice.Web.Domain;
using KapPractice.Web.Features.AdminShell;
using KapPractice.Web.Features.InquiryReview;
using KapPractice.Web.Features.Booking;
using KapPractice.Web.Features.FollowUp;
using KapPractice.Web.Infrastructure.Audit;
using KapPractice.Web.Infrastructure;
using KapPractice.Web.Infrastructure.Data;
using KapPractice.Web.Infrastructure.Outbox;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace KapPractice.Web.Features.Replies;

/// <summary>Replying to a client from the inquiry page: filling a template in, sending, and sending again after a failure.</summary>
[Authorize(Policy = AdminSetup.AdminPolicy)]
public sealed class RepliesController(
    KapDbContext db,
    AuditLog audit,
    OutboxWriter outboxWriter,
    OutboxSignal outboxSignal,
    IValidator<ReplyForm> validator,
    IOptions<PracticeOptions> practiceOptions,
    IServiceProvider services,
    TimeProvider time,
    PracticeClock clock,
    ILogger<RepliesController> logger) : Controller
{
    public const string InquiryView = "~/Features/InquiryReview/Inquiry.cshtml";
    public const string AlreadySentDraftMessage = "This reply was already sent; the second click sent nothing more.";
    public const string AlreadySentMessage = "This reply was already delivered, so it was not sent again.";
    public const string AlreadyQueuedMessage = "This reply is already on its way: it is queued or being sent, so it was not added again.";
    public const string BookingLinkNote = $"{ReplyPlaceholders.BookingLink} stays as it is here; it is filled in with the client's private booking link when you send the reply.";

    private string Actor => User.Identity?.Name ?? AuditLog.UnknownActor;

    /// <summary>The inquiry page with the composer filled from a template (works without script: the template form is a GET of ids).</summary>
    [HttpGet("/admin/inquiries/{id:int}/reply")]
    public async Task<IActionResult> UseTemplate(int id, int? template, [FromQuery(Name = "referral")] int[]? referral, CancellationToken cancellationToken)
    {
        if (!ModelState.IsValid)
        {
            return BadRequest();
        }

        var inquiry = await db.LoadInquiryForAdminAsync(id, cancellationToken);
        if (inquiry is null)
        {
            return NotFound();
        }

        var referralIds = (referral ?? []).Distinct().ToList();
        var chosen = await db.Referrals.AsNoTracking().Where(r => referralIds.Contains(r.Id)).OrderBy(r => r.Name).ThenBy(r => r.Id).ToListAsync(cancellationToken);
        var picked = template is { } templateId ? await db.ReplyTemplates.AsNoTracking().FirstOrDefaultAsync(t => t.Id == templateId, cancellationToken) : null;
        // The composer shows the whole inquiry, so filling in a template counts as opening it.
        inquiry.MarkViewed(time.GetUtcNow().UtcDateTime);
        audit.Add(Actor, AuditActions.Viewed, id);
        await db.SaveChangesAsync(cancellationToken);

        var draft = new ReplyDraft(null, null, template, [.. chosen.Select(r => r.Id)]);
        if (ClientContact.IsRefused(inquiry))
        {
            return Page(inquiry, draft with { Problem = ClientContact.SpamProblem }, StatusCodes.Status409Conflict);
        }

        if (chosen.Count != referralIds.Count)
        {
            return Page(inquiry, draft with { Problem = "A chosen referral no longer exists; choose again from the list." }, StatusCodes.Status400BadRequest);
        }

        if (picked is null)
        {
            return Page(inquiry, draft with { TemplateId = null, Problem = template is null ? "Choose a template." : "That template no longer exists; choose another." }, StatusCodes.Status400BadRequest);
        }

        var notes = new List<string>();
        string? bookingLink = null;
        if (ReplyPlaceholders.Uses(picked.Body, ReplyPlaceholders.BookingLink))
        {
            if (services.GetService<IBookingLinks>() is not null)
            {
                // Left as written, and signed only when the reply is sent: this is a draft she may never send, and a
                // new link made now would cut off the one the client already holds (only an inquiry's newest works).
                bookingLink = ReplyPlaceholders.BookingLink;
                notes.Add(BookingLinkNote);
            }
            else
            {
                notes.Add($"Booking links are not available yet; {ReplyPlaceholders.BookingLink} was left out.");
            }
        }

        if (ReplyPlaceholders.Uses(picked.Body, ReplyPlaceholders.Referrals) && chosen.Count == 0)
        {
            notes.Add($"No referral was chosen, so the {ReplyPlaceholders.Referrals} line was left out.");
        }

        var practice = practiceOptions.Value;
        var values = new PlaceholderValues(ReplyPlaceholders.FirstNameOf(inquiry.FullName), practice.Name, practice.ContactEmail, chosen, bookingLink);
        var subjectValues = values with { FirstName = ReplyPlaceholders.FirstName };
        return Page(inquiry, draft with
        {
            Subject = ReplyPlaceholders.Fill(picked.Subject, subjectValues),
            Body = ReplyPlaceholders.Fill(picked.Body, values),
            Notes = notes,
        }, StatusCodes.Status200OK);
    }

    [HttpPost("/admin/inquiries/{id:int}/replies")]
    public async Task<IActionResult> Send(int id, [FromForm] ReplyForm form, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(form);
        var inquiry = await db.LoadInquiryForAdminAsync(id, cancellationToken);
        if (inquiry is null)
        {
            return NotFound();
        }

        var draft = new ReplyDraft(form.Subject, form.Body, null, []);
        if (ClientContact.IsRefused(inquiry))
        {
            return await ViewedPageAsync(inquiry, draft with { Problem = ClientContact.SpamProblem }, StatusCodes.Status409Conflict, cancellationToken);
        }

        var posted = form.Normalized();
        ModelState.Clear();
        var result = await validator.ValidateAsync(posted, cancellationToken);
        if (!result.IsValid)
        {
            result.AddToModelState(ModelState);
            return await ViewedPageAsync(inquiry, draft, StatusCodes.Status400BadRequest, cancellationToken);
        }

        if (inquiry.PreferredContact == ContactMethod.Phone && !form.EmailDespitePhone)
        {
            return await ViewedPageAsync(inquiry, draft with { Problem = ReplyForm.PrefersPhoneProblem }, StatusCodes.Status400BadRequest, cancellationToken);
        }

        var now = time.GetUtcNow().UtcDateTime;
        InquiryReply reply;
        OutboxMessage row;
        bool contacted;

        // Two saves in one short transaction: the audit line names the reply's id, known after the first.
        await using (var transaction = await db.Database.BeginTransactionAsync(cancellationToken))
        {
            // The same composer form posted again (a double click, a reload that re-posts) sends nothing more: checked
            // in the draft's section, so two posts at once (to any instance) do not both pass; its unique index backs it.
            if (form.DraftId is { } draftId)
            {
                await db.Database.LockSectionAsync($"reply-draft:{draftId}", cancellationToken);
                if (await db.InquiryReplies.AnyAsync(r => r.DraftId == draftId, cancellationToken))
                {
                    TempData.SetAdminFlash(AlreadySentDraftMessage);
                    return Redirect(Url.Action(nameof(InquiryController.Inquiry), InquiryController.Name, new { id }) + "#timeline");
                }
            }

            // Sending is what signs the client's booking link (the composer left {BookingLink} as written): here, after
            // the draft check and in this transaction, so a second post of the form signs nothing and a refused send
            // keeps no new link. A link row it adds is saved now (its id is in the token), and rolled back with the rest.
            var body = posted.Body!;
            if (ReplyPlaceholders.Uses(body, ReplyPlaceholders.BookingLink) && services.GetService<IBookingLinks>() is { } bookingLinks)
            {
                body = ReplyPlaceholders.FillBookingLink(body, (await bookingLinks.CreateAsync(id, cancellationToken)).ToString());
                if (body.Length > TextLimits.ReplyBody)
                {
                    await transaction.RollbackAsync(cancellationToken);
                    db.ChangeTracker.Clear();
                    ModelState.AddModelError(nameof(ReplyForm.Body), ReplyFormValidator.TooLong("With the booking link filled in, the reply", TextLimits.ReplyBody, body));
                    return await ViewedPageAsync(inquiry, draft, StatusCodes.Status400BadRequest, cancellationToken);
                }
            }

            reply = new InquiryReply { InquiryId = id, Author = Actor, SentUtc = now, Subject = posted.Subject!, Body = body, DraftId = form.DraftId };
            row = outboxWriter.NewMessage(OutboxKind.ClientReply, inquiry.Email);
            row.InquiryId = id;
            reply.OutboxMessages.Add(row);
            db.InquiryReplies.Add(reply);
            contacted = inquiry.Status == InquiryStatus.New;
            if (contacted)
            {
                inquiry.Status = InquiryStatus.Contacted;
                inquiry.StatusChangedUtc = now;
                audit.Add(Actor, AuditActions.StatusChanged, id, $"status: {InquiryStatus.Contacted}");
            }

            try
            {
                await db.SaveChangesAsync(cancellationToken);
            }
            catch (DbUpdateException exception) when (form.DraftId is not null && exception.IsUniqueViolation())
            {
                // The draft's unique index, should anything pass the section: the same answer as above.
                TempData.SetAdminFlash(AlreadySentDraftMessage);
                return Redirect(Url.Action(nameof(InquiryController.Inquiry), InquiryController.Name, new { id }) + "#timeline");
            }

            audit.Add(Actor, AuditActions.ReplySent, id, $"reply: {reply.Id}; outbox: {row.Id}");
            await db.SaveChangesAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }

        outboxSignal.Nudge();
        RepliesLog.ReplyQueued(logger, id, reply.Id, row.Id);
        TempData.SetAdminFlash(contacted ? "Your reply is queued to be sent, and the status is now Contacted." : "Your reply is queued to be sent.");
        return Redirect(Url.Action(nameof(InquiryController.Inquiry), InquiryController.Name, new { id }) + "#timeline");
    }

    [HttpPost("/admin/inquiries/{id:int}/replies/{replyId:int}/resend")]
    public async Task<IActionResult> Resend(int id, int replyId, CancellationToken cancellationToken)
    {
        var inquiry = await db.Inquiries.FindAsync([id], cancellationToken);
        var reply = inquiry is null ? null : await db.InquiryReplies.Include(r => r.OutboxMessages).FirstOrDefaultAsync(r => r.Id == replyId && r.InquiryId == id, cancellationToken);
        if (inquiry is null || reply is null)
        {
            return NotFound();
        }

        if (ClientContact.IsRefused(inquiry))
        {
            return Conflict(ClientContact.SpamProblem);
        }

        // Only a reply whose newest attempt failed may go again: a stale tab or a second click on a sent
        // or queued reply would otherwise mail the client twice.
        var newest = reply.OutboxMessages.OrderBy(m => m.Id).LastOrDefault();
        if (newest is null || newest.State != OutboxState.Failed)
        {
            TempData.SetAdminFlash(newest?.State == OutboxState.Sent ? AlreadySentMessage : AlreadyQueuedMessage);
            return Redirect(Url.Action(nameof(InquiryController.Inquiry), InquiryController.Name, new { id }) + "#timeline");
        }

        // A new row with a fresh Message-ID: mail services drop a second message with an ID they have already seen.
        var row = outboxWriter.NewMessage(OutboxKind.ClientReply, inquiry.Email);
        row.InquiryId = id;
        row.ReplyId = reply.Id;
        await using (var transaction = await db.Database.BeginTransactionAsync(cancellationToken))
        {
            // The claim: a single UPDATE that matches only while the failed row is still the reply's newest. In the
            // reply's section, so a second resend runs its UPDATE only after the first committed its new row: without
            // it, PostgreSQL re-checks a row-locked UPDATE's own columns but not the subquery, and both matched.
            await db.Database.LockSectionAsync($"reply-resend:{reply.Id}", cancellationToken);
            var failedId = newest.Id;
            var ownerReplyId = reply.Id;
            var claimed = await db.OutboxMessages
                .Where(m => m.Id == failedId && m.State == OutboxState.Failed && !db.OutboxMessages.Any(o => o.ReplyId == ownerReplyId && o.Id > failedId))
                .ExecuteUpdateAsync(s => s.SetProperty(m => m.State, OutboxState.Failed), cancellationToken);
            if (claimed != 1)
            {
                await transaction.RollbackAsync(cancellationToken);
                TempData.SetAdminFlash(AlreadyQueuedMessage);
                return Redirect(Url.Action(nameof(InquiryController.Inquiry), InquiryController.Name, new { id }) + "#timeline");
            }

            db.OutboxMessages.Add(row);
            await db.SaveChangesAsync(cancellationToken);
            audit.Add(Actor, AuditActions.ReplyResent, id, $"reply: {reply.Id}; outbox: {row.Id}");
            await db.SaveChangesAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }

        outboxSignal.Nudge();
        RepliesLog.ReplyResent(logger, id, reply.Id, row.Id);
        TempData.SetAdminFlash("The reply is queued to be sent again.");
        return Redirect(Url.Action(nameof(InquiryController.Inquiry), InquiryController.Name, new { id }) + "#timeline");
    }

    /// <summary>The inquiry page shown again after a refused send: it shows the whole inquiry, so it is audited like the inquiry page.</summary>
    private async Task<ViewResult> ViewedPageAsync(Inquiry inquiry, ReplyDraft draft, int statusCode, CancellationToken cancellationToken)
    {
        audit.Add(Actor, AuditActions.Viewed, inquiry.Id);
        await db.SaveChangesAsync(cancellationToken);
        return Page(inquiry, draft, statusCode);
    }

    private ViewResult Page(Inquiry inquiry, ReplyDraft draft, int statusCode)
    {
        Response.StatusCode = statusCode;
        ViewData.SetReplyDraft(draft);
        return View(InquiryView, new InquiryPage(inquiry, AnswerSheet.For(inquiry, clock.Format), null));
    }
}

internal static partial class RepliesLog
{
    [LoggerMessage(Level = LogLevel.Information, Message = "Reply {ReplyId} to inquiry {InquiryId} queued as outbox message {OutboxId}")]
    public static partial void ReplyQueued(ILogger logger, int inquiryId, int replyId, int outboxId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Reply {ReplyId} to inquiry {InquiryId} queued again as outbox message {OutboxId}")]
    public static partial void ReplyResent(ILogger logger, int inquiryId, int replyId, int outboxId);
}
