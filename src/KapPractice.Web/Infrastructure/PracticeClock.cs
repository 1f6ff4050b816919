using System.Globalization;
using Microsoft.Extensions.Options;

namespace KapPractice.Web.Infrastructure;

/// <summary>
/// The practice's own time: storage stays UTC, and every time a person reads (admin pages, the CSV,
/// emails, booking slots) is shown in <c>Practice:TimeZone</c> with the zone named, so "09:00" never
/// has to be guessed at. One place for the zone and the formats.
/// </summary>
public sealed class PracticeClock(IOptions<PracticeOptions> options, TimeProvider time)
{
    private readonly TimeZoneInfo zone = PracticeOptions.FindZone(options.Value.TimeZone)
        ?? throw new InvalidOperationException($"Practice:TimeZone '{options.Value.TimeZone}' is not a known time zone.");

    public TimeZoneInfo Zone => zone;

    /// <summary>The zone's everyday name, the same summer and winter ("Eastern" for America/New_York).</summary>
    public string ZoneName => ZoneNameOf(zone);

    /// <summary>The current time in the practice's zone.</summary>
    public DateTime LocalNow => ToLocal(time.GetUtcNow().UtcDateTime);

    public DateTime ToLocal(DateTime utc) =>
        TimeZoneInfo.ConvertTimeFromUtc(DateTime.SpecifyKind(utc.Kind == DateTimeKind.Local ? utc.ToUniversalTime() : utc, DateTimeKind.Utc), zone);

    /// <summary>A local wall-clock time to UTC. A time skipped by the spring change is moved forward an hour; one repeated in autumn is read as its first occurrence.</summary>
    public DateTime ToUtc(DateTime local)
    {
        var wall = DateTime.SpecifyKind(local, DateTimeKind.Unspecified);
        if (zone.IsInvalidTime(wall))
        {
            wall = wall.AddHours(1);
        }

        var offset = zone.IsAmbiguousTime(wall) ? zone.GetAmbiguousTimeOffsets(wall).Max() : zone.GetUtcOffset(wall);
        return DateTime.SpecifyKind(wall - offset, DateTimeKind.Utc);
    }

    /// <summary>Admin pages and emails: "2026-12-01 09:30 Eastern".</summary>
    public string Format(DateTime utc) =>
        ToLocal(utc).ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture) + " " + NameAt(utc);

    /// <summary>To the second, for the audit trail: "2026-12-01 09:30:05 Eastern".</summary>
    public string FormatPrecise(DateTime utc) =>
        ToLocal(utc).ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture) + " " + NameAt(utc);

    /// <summary>A date alone in the practice's zone: "2026-12-01".</summary>
    public string FormatDate(DateTime utc) => ToLocal(utc).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    /// <summary>For clients (booking, invitations): "Tue Dec 8, 10:15 AM Eastern".</summary>
    public string FormatForClient(DateTime utc) =>
        ToLocal(utc).ToString("ddd MMM d, h:mm tt", CultureInfo.GetCultureInfo("en-US")) + " " + NameAt(utc);

    /// <summary>
    /// The zone's everyday name, except in the hour the autumn change repeats: there a wall time ("1:45 AM") happens
    /// twice, so the name says which ("Eastern Daylight Time", then "Eastern Standard Time").
    /// </summary>
    private string NameAt(DateTime utc)
    {
        if (!zone.IsAmbiguousTime(ToLocal(utc)))
        {
            return ZoneName;
        }

        var instant = new DateTimeOffset(DateTime.SpecifyKind(utc.Kind == DateTimeKind.Local ? utc.ToUniversalTime() : utc, DateTimeKind.Utc));
        var name = zone.IsDaylightSavingTime(instant) ? zone.DaylightName : zone.StandardName;
        // A zone whose two names are the same (or missing) is told apart by its offset instead.
        return string.IsNullOrWhiteSpace(name) || zone.DaylightName == zone.StandardName
            ? $"{ZoneName} (UTC{TimeZoneInfo.ConvertTime(instant, zone).ToString("zzz", CultureInfo.InvariantCulture)})"
            : name;
    }

    /// <summary>Machine-readable local time with the offset of that instant (the CSV): "2026-12-01T09:30:00-05:00".</summary>
    public string FormatIso(DateTime utc) =>
        // From the instant, not the wall time: in the hour repeated in autumn the wall time alone has two offsets.
        TimeZoneInfo.ConvertTime(new DateTimeOffset(DateTime.SpecifyKind(utc.Kind == DateTimeKind.Local ? utc.ToUniversalTime() : utc, DateTimeKind.Utc)), zone)
            .ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture);

    internal static string ZoneNameOf(TimeZoneInfo zone)
    {
        // ICU names zones "Eastern Standard Time" / "Eastern Daylight Time"; the shared part is what people say.
        const string Standard = " Standard Time";
        var name = zone.StandardName;
        return name.EndsWith(Standard, StringComparison.Ordinal) ? name[..^Standard.Length] : name;
    }
}
