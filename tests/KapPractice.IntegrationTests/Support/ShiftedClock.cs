namespace KapPractice.Tests.Support;

/// <summary>
/// A clock that runs at the real rate from a chosen start. The booking pages offer times from the minimum notice on; on the
/// real clock the first offered time can be minutes from falling inside the notice, and drop out of the offer while a test
/// is still on the page (the test then sees "Choose a time" again after pressing Enter). From a Saturday noon the first
/// time is on Monday morning, hours clear of the notice. A test can also move it on (<see cref="Advance"/>) instead of waiting,
/// as <see cref="TestAuthenticator"/> does for the next authenticator code on the shared admin apps.
/// </summary>
public sealed class ShiftedClock(DateTimeOffset start) : TimeProvider
{
    private long _shiftTicks = (start - TimeProvider.System.GetUtcNow()).Ticks;

    /// <summary>Starts at the real time: a clock that only differs once a test advances it.</summary>
    public static ShiftedClock FromNow() => new(TimeProvider.System.GetUtcNow());

    /// <summary>The Saturday after next at 17:00 UTC (noon or 1 pm in New York), so every weekday of the offer lies ahead.</summary>
    public static ShiftedClock FromSaturdayNoon()
    {
        var today = DateTime.UtcNow.Date;
        var days = (((int)DayOfWeek.Saturday - (int)today.DayOfWeek) + 7) % 7 + 7;
        return new ShiftedClock(new DateTimeOffset(today.AddDays(days).AddHours(17), TimeSpan.Zero));
    }

    /// <summary>Moves the clock on by <paramref name="by"/>; it then keeps running at the real rate.</summary>
    public void Advance(TimeSpan by) => Interlocked.Add(ref _shiftTicks, by.Ticks);

    public override DateTimeOffset GetUtcNow() => TimeProvider.System.GetUtcNow() + TimeSpan.FromTicks(Interlocked.Read(ref _shiftTicks));
}
