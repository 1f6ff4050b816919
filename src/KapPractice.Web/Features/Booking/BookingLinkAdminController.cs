using KapPractice.Web.Domain;
using KapPractice.Web.Features.AdminShell;
using KapPractice.Web.Infrastructure.Audit;
using KapPractice.Web.Infrastructure.Data;
using KapPractice.Web.Infrastructure.Outbox;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace KapPractice.Web.Features.Booking;

/// <summary>Sending the client her private booking link from the inquiry page.</summary>
[Authorize(Policy = AdminSetup.AdminPolicy)]
public sealed class BookingLinkAdminController(
    KapDbContext db,
    BookingLinks links,
    OutboxWriter outbox,
    OutboxSignal signal,
    AuditLog audit,
    UnitOfWork work,
    TimeProvider time) : Controller
{
    /// <summary>One unit of work (<see cref="UnitOfWorkAttribute"/>): the link row, the email that carries it and the audit line.</summary>
    [HttpPost("/admin/inquiries/{id:int}/booking-link")]
    [UnitOfWork]
    public async Task<IActionResult> SendLink(int id, CancellationToken cancellationToken)
    {
        var inquiry = await db.Inquiries.SingleOrDefaultAsync(i => i.Id == id, cancellationToken);
        if (inquiry is null)
        {
            return NotFound();
        }

        // The rule replies follow: nothing goes to suspected spam. The page offers no button then; this is a tab
        // opened before it was marked, or a hand-made post.
        if (ClientContact.IsRefused(inquiry))
        {
            TempData.SetAdminFlash(ClientContact.SpamProblem);
            return Redirect($"/admin/inquiries/{id}");
        }

        var now = time.GetUtcNow().UtcDateTime;
        var ahead = await db.Bookings.AsNoTracking()
            .Where(BookingFilters.StillAhead(now)).Where(b => b.InquiryId == id && b.LinkId != null)
            .OrderByDescending(b => b.Id).FirstOrDefaultAsync(cancellationToken);
        var row = outbox.NewMessage(OutboxKind.BookingLinkToClient, inquiry.Email);
        row.InquiryId = id;
        if (ahead is not null)
        {
            // A call is booked: its invitation and reminder carry the booking's link, which a new link would cut off,
            // so the same link is sent again (signed to last until the call).
            row.BookingId = ahead.Id;
            row.BookingLinkId = ahead.LinkId;
            db.OutboxMessages.Add(row);
        }
        else
        {
            var link = await links.NewLinkAsync(id, cancellationToken);
            link.OutboxMessages.Add(row);
        }

        audit.Add(User.AuditName(), AuditActions.BookingLinkSent, id);
        work.AfterCommit(signal.Nudge);
        TempData.SetAdminFlash("The booking link is on its way to the client.");
        return Redirect($"/admin/inquiries/{id}");
    }
}
