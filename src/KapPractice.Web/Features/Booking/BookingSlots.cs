using KapPractice.Web.Infrastructure;

namespace KapPractice.Web.Features.Booking;

/// <summary>One bookable time, in UTC.</summary>
public sealed record Slot(DateTime StartUtc, DateTime EndUtc);

/// <summary>How the hours are cut into slots and which of them a client may still choose.</summary>
/// <param name="SlotMinutes">Length of a call.</param>
/// <param name="GapMinutes">Free time kept between two calls.</param>
/// <param name="HorizonDays">How far ahead a client may book.</param>
/// <param name="NoticeHours">How soon a call may start, at the earliest, after it is booked.</param>
/// <param name="DaysOff">Dates (in the practice's zone) with no calls.</param>
public sealed record SlotRules(int SlotMinutes, int GapMinutes, int HorizonDays, int NoticeHours, IReadOnlySet<DateOnly> DaysOff)
{
    public const int MinSlotMinutes = 5;
    public const int MaxSlotMinutes = 240;
    public const int MaxGapMinutes = 240;
    public const int MaxHorizonDays = 365;
    public const int MaxNoticeHours = 24 * 30;

    public TimeSpan Length => TimeSpan.FromMinutes(SlotMinutes);
    public TimeSpan Gap => TimeSpan.FromMinutes(GapMinutes);
}

/// <summary>
/// The open slots: a pure function of the hours, the rules, the practice's clock, the moment and the times
/// already taken. Wall-clock hours are turned into UTC day by day through <see cref="PracticeClock.ToUtc"/>,
/// so "10:00" stays 10:00 in New York on both sides of a daylight-saving change.
/// </summary>
public static class BookingSlots
{
    public static IReadOnlyList<Slot> Open(WeeklyHours hours, SlotRules rules, PracticeClock clock, DateTime nowUtc, IEnumerable<Slot> taken)
    {
        ArgumentNullException.ThrowIfNull(hours);
        ArgumentNullException.ThrowIfNull(rules);
        ArgumentNullException.ThrowIfNull(clock);
        ArgumentNullException.ThrowIfNull(taken);
        var busy = taken.ToList();
        var earliest = nowUtc + TimeSpan.FromHours(rules.NoticeHours);
        var latest = nowUtc + TimeSpan.FromDays(rules.HorizonDays);
        var today = DateOnly.FromDateTime(clock.ToLocal(nowUtc));
        var slots = new List<Slot>();
        // Overlapping ranges can produce one start twice: a set keeps the check constant-time however long the list.
        var starts = new HashSet<DateTime>();
        for (var date = today; date <= DateOnly.FromDateTime(clock.ToLocal(latest)); date = date.AddDays(1))
        {
            if (rules.DaysOff.Contains(date))
            {
                continue;
            }

            foreach (var range in hours.For(date.DayOfWeek))
            {
                var dayEnd = range.End == TimeOnly.MaxValue ? date.AddDays(1).ToDateTime(TimeOnly.MinValue) : date.ToDateTime(range.End);
                for (var local = date.ToDateTime(range.Start); local + rules.Length <= dayEnd; local += rules.Length + rules.Gap)
                {
                    // A wall time the spring change skips does not exist; ToUtc would move it onto the next hour's slot.
                    if (clock.Zone.IsInvalidTime(local))
                    {
                        continue;
                    }

                    var start = clock.ToUtc(local);
                    var slot = new Slot(start, start + rules.Length);
                    if (start >= earliest && start < latest && !busy.Exists(b => Overlaps(slot, b, rules.Gap)) && starts.Add(start))
                    {
                        slots.Add(slot);
                    }
                }
            }
        }

        slots.Sort((a, b) => a.StartUtc.CompareTo(b.StartUtc));
        return slots;
    }

    /// <summary>A slot too close to a booked call to keep the gap between them is taken too.</summary>
    private static bool Overlaps(Slot slot, Slot booked, TimeSpan gap) =>
        slot.StartUtc < booked.EndUtc + gap && booked.StartUtc < slot.EndUtc + gap;
}
