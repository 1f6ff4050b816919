using System.Globalization;
using KapPractice.Web.Domain;
using KapPractice.Web.Infrastructure;
using KapPractice.Web.Infrastructure.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace KapPractice.Web.Features.Booking;

/// <summary>The hours and rules in force: the saved ones, or the configured defaults until she saves her own.</summary>
public sealed record BookingRules(WeeklyHours Hours, SlotRules Slots, bool Saved);

/// <summary>Reads the hours in force and the open slots, from the settings row and the active bookings.</summary>
public sealed class BookingSchedule(KapDbContext db, IOptions<BookingOptions> options, PracticeClock clock, TimeProvider time)
{
    public async Task<BookingRules> RulesAsync(CancellationToken cancellationToken)
    {
        var saved = await db.BookingSettings.AsNoTracking().SingleOrDefaultAsync(s => s.Id == BookingSettings.SingletonId, cancellationToken);
        if (saved is null || saved.SlotMinutes == 0)
        {
            return new BookingRules(
                WeeklyHours.Parse(options.Value.DefaultHours),
                new SlotRules(BookingOptions.DefaultSlotMinutes, BookingOptions.DefaultGapMinutes, BookingOptions.DefaultHorizonDays, BookingOptions.DefaultNoticeHours, new HashSet<DateOnly>()),
                Saved: false);
        }

        return new BookingRules(
            WeeklyHours.Parse(saved.WeeklyHours),
            new SlotRules(saved.SlotMinutes, saved.GapMinutes, saved.HorizonDays, saved.NoticeHours, ParseDaysOff(saved.DaysOff, out _)),
            Saved: true);
    }

    /// <summary>The slots a client may choose now; <paramref name="ignoreBookingId"/>'s own time counts as free (rescheduling).</summary>
    public async Task<IReadOnlyList<Slot>> OpenSlotsAsync(int? ignoreBookingId, CancellationToken cancellationToken)
    {
        var rules = await RulesAsync(cancellationToken);
        var now = time.GetUtcNow().UtcDateTime;
        var taken = await db.Bookings.AsNoTracking()
            .Where(b => b.State == BookingState.Active && b.EndUtc > now.AddDays(-1) && b.Id != ignoreBookingId)
            .Select(b => new Slot(b.StartUtc, b.EndUtc))
            .ToListAsync(cancellationToken);
        return BookingSlots.Open(rules.Hours, rules.Slots, clock, now, taken);
    }

    /// <summary>Days off as typed on the hours page: ISO dates separated by commas, spaces or new lines.</summary>
    public static HashSet<DateOnly> ParseDaysOff(string? text, out string? error)
    {
        error = null;
        var days = new HashSet<DateOnly>();
        foreach (var part in (text ?? "").Split([',', ';', ' ', '\n', '\r', '\t'], StringSplitOptions.RemoveEmptyEntries))
        {
            if (!DateOnly.TryParseExact(part, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day))
            {
                error = $"'{part}' is not a date; write days off like 2026-12-24, separated by commas.";
                continue;
            }

            days.Add(day);
        }

        return days;
    }

    public static string FormatDaysOff(IEnumerable<DateOnly> days) =>
        string.Join(", ", days.Order().Select(d => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)));
}
