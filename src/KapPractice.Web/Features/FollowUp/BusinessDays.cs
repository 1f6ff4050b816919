using KapPractice.Web.Infrastructure;

namespace KapPractice.Web.Features.FollowUp;

/// <summary>
/// "Replies within N business days", as a deadline: Monday to Friday in the practice's zone, no holidays. An
/// inquiry is due by the end of the Nth business day after the local day it arrived (Friday evening, Saturday
/// or Sunday with N = 2: the end of Tuesday), so it is overdue from the midnight that follows.
/// </summary>
public static class BusinessDays
{
    public static bool IsBusinessDay(DateOnly day) => day.DayOfWeek is not (DayOfWeek.Saturday or DayOfWeek.Sunday);

    /// <summary>The <paramref name="count"/>th business day after <paramref name="day"/> (the day itself not counted).</summary>
    public static DateOnly After(DateOnly day, int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        var current = day;
        for (var left = count; left > 0;)
        {
            current = current.AddDays(1);
            if (IsBusinessDay(current))
            {
                left--;
            }
        }

        return current;
    }

    /// <summary>The instant (UTC) an inquiry received at <paramref name="receivedUtc"/> becomes overdue.</summary>
    public static DateTime DeadlineUtc(DateTime receivedUtc, int businessDays, PracticeClock clock)
    {
        ArgumentNullException.ThrowIfNull(clock);
        var received = DateOnly.FromDateTime(clock.ToLocal(receivedUtc));
        return StartOf(After(received, businessDays).AddDays(1), clock);
    }

    /// <summary>
    /// At <paramref name="nowUtc"/>, every inquiry received before the returned instant is past its deadline and no
    /// other is (the deadline never moves back as the arrival moves on), so the list can filter on it in SQL.
    /// </summary>
    public static DateTime OverdueIfReceivedBeforeUtc(DateTime nowUtc, int businessDays, PracticeClock clock)
    {
        ArgumentNullException.ThrowIfNull(clock);
        var today = DateOnly.FromDateTime(clock.ToLocal(nowUtc));
        var latest = today;
        while (After(latest, businessDays) >= today)
        {
            latest = latest.AddDays(-1);
        }

        return StartOf(latest.AddDays(1), clock);
    }

    private static DateTime StartOf(DateOnly day, PracticeClock clock) => clock.ToUtc(day.ToDateTime(TimeOnly.MinValue));
}
