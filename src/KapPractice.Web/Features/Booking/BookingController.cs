using KapPractice.Web.Domain;
using KapPractice.Web.Infrastructure;
using KapPractice.Web.Infrastructure.Data;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Filters;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.EntityFrameworkCore;

namespace KapPractice.Web.Features.Booking;

/// <summary>
/// The client's booking page, reached only through a private link (never linked from the site, never indexed,
/// never cached), and the practitioner's calendar feed at its secret address.
/// </summary>
[EnableRateLimiting(BookingSetup.RateLimitPolicy)]
public sealed class BookingController(
    BookingLinks links,
    BookingSchedule schedule,
    BookingService bookings,
    PracticeClock clock,
    KapDbContext db,
    TimeProvider time) : Controller
{
    public const string TakenMessage = "That time was just taken, please choose another.";
    public const string NotOfferedMessage = "That time is no longer offered, please choose another.";
    public const string ChangedMessage = "This consultation was just changed; here is how it stands now.";

    /// <summary>What the page says once the link has made all its changes (<see cref="BookingService.MayChange"/>).</summary>
    public static string ChangeLimitMessage(int limit) =>
        (limit == 0 ? "The time of this consultation cannot be changed through this link."
            : $"The time of this consultation has been changed {Plural.Count(limit, "time", "times")} through this link, the most it allows.")
        + " To change it again, please reply to the email that brought you here, and we will find a time together. You can still cancel below.";

    public override void OnActionExecuting(ActionExecutingContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        // The link is the key to the page: no cache may keep it, and no search engine may list it.
        Response.Headers.CacheControl = "no-store";
        Response.Headers["X-Robots-Tag"] = "noindex, nofollow";
        base.OnActionExecuting(context);
    }

    [HttpGet("/booking/{token}")]
    public async Task<IActionResult> Show(string token, bool change, CancellationToken cancellationToken)
    {
        var check = await links.CheckAsync(token, cancellationToken);
        if (check.Problem != LinkProblem.None)
        {
            return Problem(check.Problem);
        }

        var choosing = check.Booking is not { } booked || (change && bookings.MayChange(booked));
        return View("Book", await PageAsync(token, check, choosing, null, null, cancellationToken));
    }

    [HttpPost("/booking/{token}")]
    public async Task<IActionResult> Book(string token, [FromForm] string? start, [FromForm] ConsultationMode? mode, [FromForm] int? sequence, CancellationToken cancellationToken)
    {
        var check = await links.CheckAsync(token, cancellationToken);
        if (check.Problem != LinkProblem.None)
        {
            // A page that showed a booking (it posts its version) whose booking was cancelled meanwhile: a conflict.
            return Problem(check.Problem, sequence is not null && check.Problem == LinkProblem.Used ? StatusCodes.Status409Conflict : null);
        }

        var chosenMode = mode is { } m && Enum.IsDefined(m) ? m : BookingPageModel.Preferred(check.Inquiry!);
        if (BookingPageModel.ParseSlot(start) is not { } startUtc)
        {
            if (check.Booking is { } booked && !bookings.MayChange(booked))
            {
                // No times to choose from any more: the booking as it stands, with what to do instead.
                Response.StatusCode = StatusCodes.Status409Conflict;
                return View("Book", await PageAsync(token, check, choosing: false, null, null, cancellationToken));
            }

            Response.StatusCode = StatusCodes.Status400BadRequest;
            return View("Book", await PageAsync(token, check, choosing: true, "Please choose one of the times below.", chosenMode, cancellationToken));
        }

        var outcome = check.Booking is { } existing
            ? await bookings.RescheduleAsync(existing, check.Inquiry!, startUtc, chosenMode, sequence, cancellationToken)
            : (await bookings.BookAsync(check, startUtc, chosenMode, cancellationToken)).Outcome;
        if (outcome is BookingOutcome.Done or BookingOutcome.AlreadyBooked)
        {
            return RedirectToAction(nameof(Show), new { token });
        }

        // Lost a race, chose a time no longer offered, posted an old version or none, or the link has made all its
        // changes: the booking as it stands or the refreshed list, never an error page.
        Response.StatusCode = StatusCodes.Status409Conflict;
        var fresh = await links.CheckAsync(token, cancellationToken);
        if (outcome is BookingOutcome.Changed or BookingOutcome.ChangeLimit)
        {
            return fresh.Problem != LinkProblem.None ? Problem(fresh.Problem, StatusCodes.Status409Conflict)
                : View("Book", await PageAsync(token, fresh, choosing: false, outcome == BookingOutcome.Changed ? ChangedMessage : null, null, cancellationToken));
        }

        return View("Book", await PageAsync(token, fresh, choosing: true, outcome == BookingOutcome.Taken ? TakenMessage : NotOfferedMessage, chosenMode, cancellationToken));
    }

    [HttpPost("/booking/{token}/cancel")]
    public async Task<IActionResult> Cancel(string token, [FromForm] int? sequence, CancellationToken cancellationToken)
    {
        var check = await links.CheckAsync(token, cancellationToken);
        if (check.Problem != LinkProblem.None)
        {
            return Problem(check.Problem);
        }

        if (check.Booking is not { } booking)
        {
            return RedirectToAction(nameof(Show), new { token });
        }

        var when = clock.FormatForClient(booking.StartUtc);
        if (!await bookings.CancelAsync(booking, check.Inquiry!, BookingService.ClientActor, null, sequence, cancellationToken))
        {
            Response.StatusCode = StatusCodes.Status409Conflict;
            var fresh = await links.CheckAsync(token, cancellationToken);
            return fresh.Problem != LinkProblem.None ? Problem(fresh.Problem, StatusCodes.Status409Conflict)
                : View("Book", await PageAsync(token, fresh, choosing: false, ChangedMessage, null, cancellationToken));
        }

        return View("Cancelled", when);
    }

    [HttpGet("/booking/feed/{secret}.ics")]
    public async Task<IActionResult> Feed(string secret, CancellationToken cancellationToken)
    {
        var settings = await db.BookingSettings.AsNoTracking().SingleOrDefaultAsync(s => s.Id == BookingSettings.SingletonId, cancellationToken);
        if (!BookingFeed.Matches(secret, settings?.FeedSecretHash))
        {
            return NotFound();
        }

        var now = time.GetUtcNow();
        var from = now.UtcDateTime.AddDays(-1);
        var upcoming = await db.Bookings.AsNoTracking()
            .Where(b => b.State != BookingState.Cancelled && b.EndUtc > from)
            .OrderBy(b => b.StartUtc)
            .ToListAsync(cancellationToken);
        return Content(BookingFeed.Calendar(upcoming, now), "text/calendar; charset=utf-8");
    }

    private async Task<BookingPage> PageAsync(string token, LinkCheck check, bool choosing, string? problem, ConsultationMode? mode, CancellationToken cancellationToken)
    {
        var booking = check.Booking;
        var days = choosing ? BookingPageModel.Group(await schedule.OpenSlotsAsync(booking?.Id, cancellationToken), clock) : [];
        var chosen = mode ?? booking?.Mode ?? (check.Inquiry is null ? ConsultationMode.Phone : BookingPageModel.Preferred(check.Inquiry));
        var changeLimit = booking is not null && !bookings.MayChange(booking) ? ChangeLimitMessage(bookings.ChangesPerLink) : null;
        return new BookingPage(token, days, chosen, booking, booking is null ? null : clock.FormatForClient(booking.StartUtc), choosing, problem, clock.ZoneName, changeLimit);
    }

    private ViewResult Problem(LinkProblem problem, int? status = null)
    {
        // Forged or unknown: not found. Expired or used up: gone (or a conflict, when this request's change lost to another).
        Response.StatusCode = status ?? (problem == LinkProblem.Invalid ? StatusCodes.Status404NotFound : StatusCodes.Status410Gone);
        return View("LinkProblem", problem);
    }
}
