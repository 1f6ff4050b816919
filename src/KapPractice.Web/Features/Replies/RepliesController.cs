using FluentValidation;
using FluentValidation.AspNetCore;
using KapPractice.Web.Domain;
using KapPractice.Web.Features.AdminShell;
using KapPractice.Web.Features.Booking;
using KapPractice.Web.Infrastructure.Audit;
using KapPractice.Web.Infrastructure;
using KapPractice.Web.Infrastructure.Data;
using KapPractice.Web.Infrastructure.Outbox;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace KapPractice.Web.Features.Replies;

/// <summary>Sending a reply to a client from the inquiry page, and sending it again after a failed delivery.</summary>
[Authorize(Policy = AdminSetup.AdminPolicy)]
public sealed class RepliesController(
    KapDbContext db,
    AuditLog audit,
    UnitOfWork work,
    OutboxWriter outboxWriter,
    OutboxSignal outboxSignal,
    IValidator<ReplyForm> validator,
    IServiceProvider services,
    TimeProvider time,
    PracticeClock clock,
    ILogger<RepliesController> logger) : ReplyControllerBase(db, audit, clock)
{
    public const string AlreadySentDraftMessage = "This reply was already sent; the second click sent nothing more.";
    public const string AlreadySentMessage = "This reply was already delivered, so it was not sent again.";
    public const string AlreadyQueuedMessage = "This reply is already on its way: it is queued or being sent, so it was not added again.";

    [HttpPost("/admin/inquiries/{id:int}/replies")]
    public async Task<IActionResult> Send(int id, [FromForm] ReplyForm form, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(form);
        var inquiry = await Db.LoadInquiryForAdminAsync(id, cancellationToken);
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

        // Its own transaction rather than [UnitOfWork]: a body too long with the link filled in rolls back the signed
        // link yet still audits the page shown again, and a draft posted twice is refused after a failed save. Two saves:
        // the audit line names the reply's id, known after the first.
        await using (var transaction = await Db.Database.BeginTransactionAsync(cancellationToken))
        {
            // The same composer form posted again (a double click, a reload that re-posts) sends nothing more: checked
            // in the draft's section, so two posts at once (to any instance) do not both pass; its unique index backs it.
            if (form.DraftId is { } draftId)
            {
                await Db.Database.LockSectionAsync($"reply-draft:{draftId}", cancellationToken);
                if (await Db.InquiryReplies.AnyAsync(r => r.DraftId == draftId, cancellationToken))
                {
                    TempData.SetAdminFlash(AlreadySentDraftMessage);
                    return TimelineRedirect(id);
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
                    Db.ChangeTracker.Clear();
                    ModelState.AddModelError(nameof(ReplyForm.Body), ReplyFormValidator.TooLong("With the booking link filled in, the reply", TextLimits.ReplyBody, body));
                    return await ViewedPageAsync(inquiry, draft, StatusCodes.Status400BadRequest, cancellationToken);
                }
            }

            reply = new InquiryReply { InquiryId = id, Author = User.AuditName(), SentUtc = now, Subject = posted.Subject!, Body = body, DraftId = form.DraftId };
            row = outboxWriter.NewMessage(OutboxKind.ClientReply, inquiry.Email);
            row.InquiryId = id;
            reply.OutboxMessages.Add(row);
            Db.InquiryReplies.Add(reply);
            contacted = inquiry.Status == InquiryStatus.New;
            if (contacted)
            {
                inquiry.Status = InquiryStatus.Contacted;
                inquiry.StatusChangedUtc = now;
                Audit.Add(User.AuditName(), AuditActions.StatusChanged, id, $"status: {InquiryStatus.Contacted}");
            }

            try
            {
                await Db.SaveChangesAsync(cancellationToken);
            }
            catch (DbUpdateException exception) when (form.DraftId is not null && exception.IsUniqueViolation())
            {
                // The draft's unique index, should anything pass the section: the same answer as above.
                TempData.SetAdminFlash(AlreadySentDraftMessage);
                return TimelineRedirect(id);
            }

            Audit.Add(User.AuditName(), AuditActions.ReplySent, id, $"reply: {reply.Id}; outbox: {row.Id}");
            await Db.SaveChangesAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }

        outboxSignal.Nudge();
        RepliesLog.ReplyQueued(logger, id, reply.Id, row.Id);
        TempData.SetAdminFlash(contacted ? "Your reply is queued to be sent, and the status is now Contacted." : "Your reply is queued to be sent.");
        return TimelineRedirect(id);
    }

    /// <remarks>
    /// One unit of work (<see cref="UnitOfWorkAttribute"/>), its checks in the order they always ran: the reply's newest
    /// attempt must have failed, then the claim in the reply's section. The new row is saved inside it before the audit
    /// line, which names the row's id; the filter saves that line and commits.
    /// </remarks>
    [HttpPost("/admin/inquiries/{id:int}/replies/{replyId:int}/resend")]
    [UnitOfWork]
    public async Task<IActionResult> Resend(int id, int replyId, CancellationToken cancellationToken)
    {
        var inquiry = await Db.Inquiries.FindAsync([id], cancellationToken);
        var reply = inquiry is null ? null : await Db.InquiryReplies.Include(r => r.OutboxMessages).FirstOrDefaultAsync(r => r.Id == replyId && r.InquiryId == id, cancellationToken);
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
            return TimelineRedirect(id);
        }

        // A new row with a fresh Message-ID: mail services drop a second message with an ID they have already seen.
        var row = outboxWriter.NewMessage(OutboxKind.ClientReply, inquiry.Email);
        row.InquiryId = id;
        row.ReplyId = reply.Id;

        // The claim: a single UPDATE that matches only while the failed row is still the reply's newest. In the
        // reply's section, so a second resend runs its UPDATE only after the first committed its new row: without
        // it, PostgreSQL re-checks a row-locked UPDATE's own columns but not the subquery, and both matched.
        await Db.Database.LockSectionAsync($"reply-resend:{reply.Id}", cancellationToken);
        var failedId = newest.Id;
        var ownerReplyId = reply.Id;
        var claimed = await Db.OutboxMessages
            .Where(m => m.Id == failedId && m.State == OutboxState.Failed && !Db.OutboxMessages.Any(o => o.ReplyId == ownerReplyId && o.Id > failedId))
            .ExecuteUpdateAsync(s => s.SetProperty(m => m.State, OutboxState.Failed), cancellationToken);
        if (claimed != 1)
        {
            work.Discard();
            TempData.SetAdminFlash(AlreadyQueuedMessage);
            return TimelineRedirect(id);
        }

        Db.OutboxMessages.Add(row);
        await Db.SaveChangesAsync(cancellationToken);
        Audit.Add(User.AuditName(), AuditActions.ReplyResent, id, $"reply: {reply.Id}; outbox: {row.Id}");
        work.AfterCommit(() =>
        {
            outboxSignal.Nudge();
            RepliesLog.ReplyResent(logger, id, reply.Id, row.Id);
        });
        TempData.SetAdminFlash("The reply is queued to be sent again.");
        return TimelineRedirect(id);
    }
}
