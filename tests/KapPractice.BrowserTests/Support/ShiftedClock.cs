namespace KapPractice.Tests.Support;

/// <summary>
/// A clock that runs at the real rate from a chosen start. The booking pages offer times from the minimum notice on; on the
/// real clock the first offered time can be minutes from falling inside the notice, and drop out of the offer while a test
/// is still on the page (the test then sees "Choose a time" again after pressing Enter). From a Saturday noon the first
/// time is on Monday morning, hours clear of the notice.
/// </summary>
public sealed class ShiftedClock(DateTimeOffset start) : TimeProvider
{
    private readonly TimeSpan _shift = start - TimeProvider.System.GetUtcNow();

    /// <summary>The Saturday after next at 17:00 UTC (noon or 1 pm in New York), so every weekday of the offer lies ahead.</summary>
    public static ShiftedClock FromSaturdayNoon()
    {
        var today = DateTime.UtcNow.Date;
        var days = (((int)DayOfWeek.Saturday - (int)today.DayOfWeek) + 7) % 7 + 7;
        return new ShiftedClock(new DateTimeOffset(today.AddDays(days).AddHours(17), TimeSpan.Zero));
    }

    public override DateTimeOffset GetUtcNow() => TimeProvider.System.GetUtcNow() + _shift;
}
