using System.Globalization;
using System.Text;

namespace KapPractice.Web.Features.Booking;

/// <summary>A span of the day in the practice's wall-clock time, start inclusive, end exclusive.</summary>
public sealed record TimeRange(TimeOnly Start, TimeOnly End)
{
    /// <summary>How "24:00" (the end of the day, held as <see cref="TimeOnly.MaxValue"/>) is written back.</summary>
    public const string EndOfDay = "24:00";

    public override string ToString() =>
        Start.ToString("HH:mm", CultureInfo.InvariantCulture) + "-" + (End == TimeOnly.MaxValue ? EndOfDay : End.ToString("HH:mm", CultureInfo.InvariantCulture));
}

/// <summary>
/// The weekly consultation hours, written the way Booking:DefaultHours and the stored settings hold them:
/// entries separated by ";", each a day or days ("Mon", "Mon-Fri", "Mon,Wed") and one or more time ranges
/// separated by commas ("Mon-Fri 10:00-12:00, 13:00-16:00; Sat 10:00-12:00").
/// </summary>
public sealed class WeeklyHours
{
    public const string Example = "Mon-Fri 10:00-16:00; Sat 10:00-12:00";

    private static readonly string[] DayNames = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];

    /// <summary>Monday first, as a week is read.</summary>
    public static IReadOnlyList<DayOfWeek> Week { get; } =
        [DayOfWeek.Monday, DayOfWeek.Tuesday, DayOfWeek.Wednesday, DayOfWeek.Thursday, DayOfWeek.Friday, DayOfWeek.Saturday, DayOfWeek.Sunday];

    private readonly Dictionary<DayOfWeek, IReadOnlyList<TimeRange>> _days;

    private WeeklyHours(Dictionary<DayOfWeek, IReadOnlyList<TimeRange>> days) => _days = days;

    public IReadOnlyList<TimeRange> For(DayOfWeek day) => _days.TryGetValue(day, out var ranges) ? ranges : [];

    public bool IsEmpty => _days.Values.All(r => r.Count == 0);

    public static string ShortName(DayOfWeek day) => DayNames[(int)day];

    public static WeeklyHours Parse(string text) =>
        TryParse(text, out var hours, out var error) ? hours : throw new FormatException(error);

    public static bool TryParse(string? text, out WeeklyHours hours, out string error)
    {
        hours = new WeeklyHours([]);
        error = "";
        var days = new Dictionary<DayOfWeek, List<TimeRange>>();
        foreach (var entry in (text ?? "").Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var space = entry.IndexOfAny([' ', '\t']);
            if (space < 0)
            {
                error = $"'{entry}' needs days and times, such as 'Mon-Fri 10:00-16:00'.";
                return false;
            }

            if (!TryParseDays(entry[..space], out var entryDays, out error) || !TryParseRanges(entry[space..], out var ranges, out error))
            {
                return false;
            }

            foreach (var day in entryDays)
            {
                if (!days.TryGetValue(day, out var list))
                {
                    days[day] = list = [];
                }

                list.AddRange(ranges);
            }
        }

        foreach (var (day, list) in days)
        {
            list.Sort((a, b) => a.Start.CompareTo(b.Start));
            for (var i = 1; i < list.Count; i++)
            {
                if (list[i].Start < list[i - 1].End)
                {
                    error = $"On {ShortName(day)} the times {list[i - 1]} and {list[i]} overlap.";
                    return false;
                }
            }
        }

        hours = new WeeklyHours(days.ToDictionary(d => d.Key, d => (IReadOnlyList<TimeRange>)d.Value));
        return true;
    }

    /// <summary>The ranges of one day as the hours page shows them ("10:00-12:00, 13:00-16:00").</summary>
    public static string FormatRanges(IEnumerable<TimeRange> ranges) => string.Join(", ", ranges);

    /// <summary>The stored form, one entry per day with hours, Monday first ("Mon 10:00-16:00; Tue 10:00-16:00").</summary>
    public override string ToString()
    {
        var text = new StringBuilder();
        foreach (var day in Week)
        {
            var ranges = For(day);
            if (ranges.Count > 0)
            {
                text.Append(text.Length > 0 ? "; " : "").Append(ShortName(day)).Append(' ').Append(FormatRanges(ranges));
            }
        }

        return text.ToString();
    }

    private static bool TryParseDays(string text, out List<DayOfWeek> days, out string error)
    {
        days = [];
        error = "";
        foreach (var part in text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var ends = part.Split('-', StringSplitOptions.TrimEntries);
            if (ends.Length > 2 || !TryDay(ends[0], out var first) || !TryDay(ends[^1], out var last))
            {
                error = $"'{part}' is not a day or a run of days; write Mon, Tue, Wed, Thu, Fri, Sat or Sun, or a run such as Mon-Fri.";
                return false;
            }

            for (var day = first; ; day = (DayOfWeek)(((int)day + 1) % 7))
            {
                days.Add(day);
                if (day == last)
                {
                    break;
                }
            }
        }

        return true;
    }

    private static bool TryDay(string text, out DayOfWeek day)
    {
        var index = Array.FindIndex(DayNames, d => text.StartsWith(d, StringComparison.OrdinalIgnoreCase) && text.Length <= 9);
        day = index < 0 ? default : (DayOfWeek)index;
        return index >= 0;
    }

    /// <summary>One or more "HH:mm-HH:mm" ranges separated by commas, each starting before it ends.</summary>
    public static bool TryParseRanges(string? text, out List<TimeRange> ranges, out string error)
    {
        ranges = [];
        error = "";
        foreach (var part in (text ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var ends = part.Split('-', StringSplitOptions.TrimEntries);
            if (ends.Length != 2
                || !TimeOnly.TryParseExact(ends[0], ["H:mm", "HH:mm"], CultureInfo.InvariantCulture, DateTimeStyles.None, out var start)
                || !TryEnd(ends[1], out var end))
            {
                error = $"'{part}' is not a time range; write it like 10:00-16:00 (24-hour clock).";
                return false;
            }

            if (end != TimeOnly.MaxValue && end <= start)
            {
                error = $"In '{part}' the end must come after the start.";
                return false;
            }

            ranges.Add(new TimeRange(start, end));
        }

        return true;
    }

    /// <summary>"24:00" is the end of the day.</summary>
    private static bool TryEnd(string text, out TimeOnly end)
    {
        if (text is TimeRange.EndOfDay)
        {
            end = TimeOnly.MaxValue;
            return true;
        }

        return TimeOnly.TryParseExact(text, ["H:mm", "HH:mm"], CultureInfo.InvariantCulture, DateTimeStyles.None, out end);
    }
}
