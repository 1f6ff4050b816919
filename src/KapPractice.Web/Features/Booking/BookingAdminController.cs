using KapPractice.Web.Domain;
using KapPractice.Web.Features.AdminShell;
using KapPractice.Web.Infrastructure.Audit;
using KapPractice.Web.Infrastructure;
using KapPractice.Web.Infrastructure.Data;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using KapPractice.Web.Features.Seo;

namespace KapPractice.Web.Features.Booking;

/// <summary>The practitioner's side of booking: upcoming consultations, cancelling one, her hours and her calendar feed.</summary>
[Authorize(Policy = AdminSetup.AdminPolicy)]
public sealed class BookingAdminController(
    KapDbContext db,
    BookingSchedule schedule,
    BookingService bookings,
    AuditLog audit,
    PracticeClock clock,
    IOptions<PracticeOptions> practice,
    TimeProvider time) : Controller
{
    public const int CancelMessageMaxLength = TextLimits.Note;

    [HttpGet("/admin/booking")]
    public async Task<IActionResult> Upcoming(CancellationToken cancellationToken) => View(await UpcomingAsync(null, cancellationToken));

    /// <remarks>
    /// Not a <see cref="UnitOfWorkAttribute"/> action: <see cref="BookingService.CancelAsync"/> is the cancel the client
    /// makes through her link too, and saves it itself in one SaveChanges whose version check refuses a stale page.
    /// </remarks>
    [HttpPost("/admin/booking/{id:int}/cancel")]
    public async Task<IActionResult> Cancel(int id, [FromForm] string? message, [FromForm] int? sequence, CancellationToken cancellationToken)
    {
        var booking = await db.Bookings.Include(b => b.Inquiry).SingleOrDefaultAsync(b => b.Id == id, cancellationToken);
        if (booking?.Inquiry is null)
        {
            return NotFound();
        }

        if (message?.Trim().Length > CancelMessageMaxLength)
        {
            return BadRequest();
        }

        if (booking.State == BookingState.Active)
        {
            TempData.SetAdminFlash(await bookings.CancelAsync(booking, booking.Inquiry, User.AuditName(), message, sequence, cancellationToken)
                ? $"Consultation #{booking.InquiryId} is cancelled; the client is told by email."
                : $"Consultation #{booking.InquiryId} was just changed by the client; nothing was cancelled. Check it and try again.");
        }

        return RedirectToAction(nameof(Upcoming));
    }

    [HttpPost("/admin/booking/feed")]
    [UnitOfWork]
    public async Task<IActionResult> ResetFeed(CancellationToken cancellationToken)
    {
        var secret = BookingFeed.NewSecret();
        var settings = await SettingsRowAsync(cancellationToken);
        settings.FeedSecretHash = BookingFeed.Hash(secret);
        settings.ChangedUtc = time.GetUtcNow().UtcDateTime;
        audit.Add(User.AuditName(), AuditActions.BookingFeedReset);
        var url = new Uri(new Uri(Request.BaseUrl(practice.Value)), Url.Action(nameof(BookingController.Feed), "Booking", new { secret }));
        return View(nameof(Upcoming), await UpcomingAsync(url, cancellationToken));
    }

    [HttpGet("/admin/booking/hours")]
    public async Task<IActionResult> Hours(CancellationToken cancellationToken)
    {
        var rules = await schedule.RulesAsync(cancellationToken);
        var form = new HoursForm
        {
            Ranges = [.. WeeklyHours.Week.Select(d => (string?)WeeklyHours.FormatRanges(rules.Hours.For(d)))],
            SlotMinutes = rules.Slots.SlotMinutes,
            GapMinutes = rules.Slots.GapMinutes,
            HorizonDays = rules.Slots.HorizonDays,
            NoticeHours = rules.Slots.NoticeHours,
            DaysOff = BookingSchedule.FormatDaysOff(rules.Slots.DaysOff),
        };
        return View(new HoursPage(form, rules.Saved, new Dictionary<string, string>()));
    }

    [HttpPost("/admin/booking/hours")]
    [UnitOfWork]
    public async Task<IActionResult> Hours([FromForm] HoursForm form, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(form);
        var errors = new Dictionary<string, string>();
        var entries = new List<string>();
        for (var i = 0; i < WeeklyHours.Week.Count; i++)
        {
            var text = i < form.Ranges.Count ? form.Ranges[i] : null;
            if (!WeeklyHours.TryParseRanges(text, out var ranges, out var error))
            {
                errors[$"Ranges_{i}"] = $"{WeeklyHours.Week[i]}: {error}";
            }
            else if (ranges.Count > 0)
            {
                entries.Add(WeeklyHours.ShortName(WeeklyHours.Week[i]) + " " + WeeklyHours.FormatRanges(ranges));
            }
        }

        WeeklyHours? hours = null;
        if (errors.Count == 0 && !WeeklyHours.TryParse(string.Join("; ", entries), out hours, out var overlap))
        {
            errors["Ranges_0"] = overlap;
        }

        Check(errors, nameof(form.SlotMinutes), form.SlotMinutes, SlotRules.MinSlotMinutes, SlotRules.MaxSlotMinutes, "The length of a call", "minutes");
        Check(errors, nameof(form.GapMinutes), form.GapMinutes, 0, SlotRules.MaxGapMinutes, "The gap between calls", "minutes");
        Check(errors, nameof(form.HorizonDays), form.HorizonDays, 1, SlotRules.MaxHorizonDays, "How far ahead clients may book", "days");
        Check(errors, nameof(form.NoticeHours), form.NoticeHours, 0, SlotRules.MaxNoticeHours, "The minimum notice", "hours");
        var daysOff = BookingSchedule.ParseDaysOff(form.DaysOff, out var daysOffError);
        if (daysOffError is not null)
        {
            errors[nameof(form.DaysOff)] = daysOffError;
        }

        if (errors.Count > 0 || hours is null)
        {
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return View(new HoursPage(form, Saved: true, errors));
        }

        var settings = await SettingsRowAsync(cancellationToken);
        settings.WeeklyHours = hours.ToString();
        settings.SlotMinutes = form.SlotMinutes;
        settings.GapMinutes = form.GapMinutes;
        settings.HorizonDays = form.HorizonDays;
        settings.NoticeHours = form.NoticeHours;
        settings.DaysOff = BookingSchedule.FormatDaysOff(daysOff);
        settings.ChangedUtc = time.GetUtcNow().UtcDateTime;
        audit.Add(User.AuditName(), AuditActions.BookingHoursChanged);
        TempData.SetAdminFlash("Consultation hours saved.");
        return RedirectToAction(nameof(Hours));
    }

    private async Task<UpcomingPage> UpcomingAsync(Uri? newFeedUrl, CancellationToken cancellationToken)
    {
        var from = time.GetUtcNow().UtcDateTime.AddHours(-1);
        var upcoming = await db.Bookings.AsNoTracking()
            .Where(b => b.State == BookingState.Active && b.EndUtc > from)
            .OrderBy(b => b.StartUtc)
            .ToListAsync(cancellationToken);
        var settings = await db.BookingSettings.AsNoTracking().SingleOrDefaultAsync(s => s.Id == BookingSettings.SingletonId, cancellationToken);
        if (newFeedUrl is null)
        {
            audit.Add(User.AuditName(), AuditActions.BookingsViewed, detail: $"rows: {upcoming.Count}");
            await db.SaveChangesAsync(cancellationToken);
        }

        // A new feed address was just made in this unit of work, which is saved only after the action: there is a feed.
        var hasFeed = newFeedUrl is not null || settings?.FeedSecretHash is not null;
        return new UpcomingPage([.. upcoming.Select(b => new UpcomingConsultation(b, clock.Format(b.StartUtc)))], hasFeed, newFeedUrl);
    }

    private async Task<BookingSettings> SettingsRowAsync(CancellationToken cancellationToken)
    {
        var settings = await db.BookingSettings.SingleOrDefaultAsync(s => s.Id == BookingSettings.SingletonId, cancellationToken);
        if (settings is null)
        {
            // No slot length yet: the hours keep following Booking:DefaultHours until she saves her own.
            settings = new BookingSettings { WeeklyHours = "" };
            db.BookingSettings.Add(settings);
        }

        return settings;
    }

    private static void Check(Dictionary<string, string> errors, string field, int value, int min, int max, string what, string unit)
    {
        if (value < min || value > max)
        {
            errors[field] = $"{what} must be between {min} and {max} {unit}.";
        }
    }
}
