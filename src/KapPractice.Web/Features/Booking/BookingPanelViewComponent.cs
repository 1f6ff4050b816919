using KapPractice.Web.Domain;
using KapPractice.Web.Infrastructure.Data;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace KapPractice.Web.Features.Booking;

/// <summary>What the inquiry page's consultation panel shows: the active booking, if any, and the newest link sent.</summary>
public sealed record BookingPanelModel(Inquiry Inquiry, Domain.Booking? ActiveBooking, BookingLink? LastLink);

/// <summary>
/// The inquiry page's consultation panel (the booked call, the last link, the button that sends one). It loads its
/// own rows, so the page renders it without knowing what it needs and no view queries the database.
/// </summary>
public sealed class BookingPanelViewComponent(KapDbContext db) : ViewComponent
{
    /// <summary>Given explicitly: view components look in Views/Shared/Components, which this project does not use.</summary>
    public const string ViewPath = "~/Features/Booking/Components/BookingPanel/Default.cshtml";

    public async Task<IViewComponentResult> InvokeAsync(Inquiry inquiry)
    {
        ArgumentNullException.ThrowIfNull(inquiry);
        var cancellationToken = HttpContext.RequestAborted;
        var active = await db.Bookings.AsNoTracking()
            .Where(b => b.InquiryId == inquiry.Id && b.State == BookingState.Active)
            .OrderByDescending(b => b.Id).FirstOrDefaultAsync(cancellationToken);
        var lastLink = await db.BookingLinks.AsNoTracking().Where(l => l.InquiryId == inquiry.Id).OrderByDescending(l => l.Id).FirstOrDefaultAsync(cancellationToken);
        return View(ViewPath, new BookingPanelModel(inquiry, active, lastLink));
    }
}
