using System.Globalization;

namespace KapPractice.Web.Infrastructure;

/// <summary>Counts as English reads them: "1 attempt", "3 attempts"; durations in the largest unit that reads plainly.</summary>
public static class Plural
{
    public static string Count(int count, string one, string many) =>
        string.Create(CultureInfo.InvariantCulture, $"{count:N0} {(count == 1 ? one : many)}");

    /// <summary>
    /// A whole number of days, hours or minutes when the span is one ("1 day", "30 minutes"), otherwise
    /// the largest unit with at least two of it, rounded down ("24 hours" for a day and a half hour).
    /// </summary>
    public static string Duration(TimeSpan span)
    {
        (TimeSpan Unit, string One, string Many)[] units =
            [(TimeSpan.FromDays(1), "day", "days"), (TimeSpan.FromHours(1), "hour", "hours"), (TimeSpan.FromMinutes(1), "minute", "minutes")];
        foreach (var (unit, one, many) in units)
        {
            var whole = span.Ticks / unit.Ticks;
            if (whole >= 2 || (whole == 1 && span.Ticks % unit.Ticks == 0))
            {
                return Count((int)whole, one, many);
            }
        }

        return span.TotalSeconds.ToString("0.#", CultureInfo.InvariantCulture) + " s";
    }
}
