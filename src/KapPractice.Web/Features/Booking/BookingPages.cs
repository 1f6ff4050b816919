using System.Globalization;
using KapPractice.Web.Domain;
using KapPractice.Web.Infrastructure;

namespace KapPractice.Web.Features.Booking;

/// <summary>One time a client may choose: the posted value (UTC), the time as shown, and the whole phrase for screen readers.</summary>
public sealed record SlotChoice(string Value, string Time, string FullLabel);

/// <summary>The open times of one day in the practice's zone.</summary>
public sealed record SlotDay(string Day, IReadOnlyList<SlotChoice> Slots);

/// <summary>
/// The booking page: the open times (when choosing), or the client's booking with change and cancel; ChangeLimit
/// says what to do instead of changing once the link has made all its changes.
/// </summary>
public sealed record BookingPage(
    string Token,
    IReadOnlyList<SlotDay> Days,
    ConsultationMode Mode,
    Domain.Booking? Booking,
    string? BookingWhen,
    bool Choosing,
    string? Problem,
    string ZoneName,
    string? ChangeLimit = null);

public static class BookingPageModel
{
    public const string SlotFormat = "yyyy-MM-dd'T'HH:mm:ss'Z'";

    public static IReadOnlyList<SlotDay> Group(IEnumerable<Slot> slots, PracticeClock clock)
    {
        ArgumentNullException.ThrowIfNull(slots);
        ArgumentNullException.ThrowIfNull(clock);
        return slots
            .Select(s =>
            {
                // "Tue Dec 8, 10:15 AM Eastern": the day before the comma, the time after it (one format, PracticeClock's).
                var full = clock.FormatForClient(s.StartUtc);
                var comma = full.IndexOf(", ", StringComparison.Ordinal);
                return (Day: full[..comma], Choice: new SlotChoice(s.StartUtc.ToString(SlotFormat, CultureInfo.InvariantCulture), full[(comma + 2)..], full));
            })
            .GroupBy(x => x.Day)
            .Select(g => new SlotDay(g.Key, [.. g.Select(x => x.Choice)]))
            .ToList();
    }

    public static DateTime? ParseSlot(string? value) =>
        DateTime.TryParseExact(value, SlotFormat, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var start)
            ? DateTime.SpecifyKind(start, DateTimeKind.Utc)
            : null;

    /// <summary>The way of talking to offer first: the inquiry's own preference (phone contact, or telehealth sessions), else the phone.</summary>
    public static ConsultationMode Preferred(Inquiry inquiry)
    {
        ArgumentNullException.ThrowIfNull(inquiry);
        return inquiry.PreferredContact == ContactMethod.Phone ? ConsultationMode.Phone
            : inquiry.SessionPreference == SessionFormat.Telehealth ? ConsultationMode.Video
            : ConsultationMode.Phone;
    }
}
