using KapPractice.Web.Infrastructure;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace KapPractice.UnitTests.Infrastructure;

public sealed class PracticeClockTests
{
    private static PracticeClock Clock(string zone = "America/New_York", DateTimeOffset? now = null) =>
        new(Options.Create(new PracticeOptions { TimeZone = zone }), new FakeTimeProvider(now ?? new DateTimeOffset(2026, 12, 1, 14, 30, 0, TimeSpan.Zero)));

    [Theory]
    [InlineData(2026, 12, 1, 14, 30, "2026-12-01 09:30 Eastern")] // winter: UTC-5
    [InlineData(2026, 7, 1, 14, 30, "2026-07-01 10:30 Eastern")] // summer: UTC-4
    public void Admin_times_are_shown_in_the_practice_zone_with_its_name(int y, int mo, int d, int h, int mi, string expected) =>
        Assert.Equal(expected, Clock().Format(new DateTime(y, mo, d, h, mi, 0, DateTimeKind.Utc)));

    [Fact]
    public void Client_times_read_as_people_say_them() =>
        Assert.Equal("Tue Dec 8, 10:15 AM Eastern", Clock().FormatForClient(new DateTime(2026, 12, 8, 15, 15, 0, DateTimeKind.Utc)));

    [Fact]
    public void The_export_carries_the_offset_of_that_day()
    {
        Assert.Equal("2026-12-01T09:30:00-05:00", Clock().FormatIso(new DateTime(2026, 12, 1, 14, 30, 0, DateTimeKind.Utc)));
        Assert.Equal("2026-07-01T10:30:00-04:00", Clock().FormatIso(new DateTime(2026, 7, 1, 14, 30, 0, DateTimeKind.Utc)));
    }

    [Fact]
    public void The_hour_repeated_in_autumn_keeps_each_instant_apart_in_the_export()
    {
        // 01:30 happens twice in New York on 1 November 2026: first in daylight time, then in standard time.
        Assert.Equal("2026-11-01T01:30:00-04:00", Clock().FormatIso(new DateTime(2026, 11, 1, 5, 30, 0, DateTimeKind.Utc)));
        Assert.Equal("2026-11-01T01:30:00-05:00", Clock().FormatIso(new DateTime(2026, 11, 1, 6, 30, 0, DateTimeKind.Utc)));
    }

    [Theory]
    // 01:45 happens twice in New York on 7 November 2027: first in daylight time (05:45 UTC), then in standard time (06:45 UTC).
    [InlineData(5, 45, "Sun Nov 7, 1:45 AM Eastern Daylight Time", "2027-11-07 01:45 Eastern Daylight Time")]
    [InlineData(6, 45, "Sun Nov 7, 1:45 AM Eastern Standard Time", "2027-11-07 01:45 Eastern Standard Time")]
    // Outside the repeated hour a wall time names one instant, and the everyday name is enough.
    [InlineData(4, 45, "Sun Nov 7, 12:45 AM Eastern", "2027-11-07 00:45 Eastern")]
    [InlineData(7, 0, "Sun Nov 7, 2:00 AM Eastern", "2027-11-07 02:00 Eastern")]
    public void A_time_in_the_hour_repeated_in_autumn_says_which_of_the_two_it_is(int hour, int minute, string forClient, string forAdmin)
    {
        var utc = new DateTime(2027, 11, 7, hour, minute, 0, DateTimeKind.Utc);
        Assert.Equal(forClient, Clock().FormatForClient(utc));
        Assert.Equal(forAdmin, Clock().Format(utc));
        Assert.StartsWith(forAdmin[..16], Clock().FormatPrecise(utc), StringComparison.Ordinal);
        Assert.EndsWith(forAdmin[16..], Clock().FormatPrecise(utc), StringComparison.Ordinal);
    }

    [Fact]
    public void Local_wall_times_map_back_to_utc_across_the_changes()
    {
        var clock = Clock();
        Assert.Equal(new DateTime(2026, 11, 2, 15, 0, 0, DateTimeKind.Utc), clock.ToUtc(new DateTime(2026, 11, 2, 10, 0, 0)));
        Assert.Equal(new DateTime(2026, 10, 30, 14, 0, 0, DateTimeKind.Utc), clock.ToUtc(new DateTime(2026, 10, 30, 10, 0, 0)));
        // 02:30 on 8 March 2026 does not exist in New York: it is read as 03:30 EDT.
        Assert.Equal(new DateTime(2026, 3, 8, 7, 30, 0, DateTimeKind.Utc), clock.ToUtc(new DateTime(2026, 3, 8, 2, 30, 0)));
        // 01:30 on 1 November 2026 happens twice: the first (EDT) is taken.
        Assert.Equal(new DateTime(2026, 11, 1, 5, 30, 0, DateTimeKind.Utc), clock.ToUtc(new DateTime(2026, 11, 1, 1, 30, 0)));
    }

    [Fact]
    public void Now_is_read_from_the_injected_clock() =>
        Assert.Equal(new DateTime(2026, 12, 1, 9, 30, 0), Clock().LocalNow);

    [Theory]
    [InlineData("")]
    [InlineData("Mars/Olympus_Mons")]
    public void An_unknown_zone_stops_start_up_with_a_message_naming_the_setting(string zone)
    {
        var result = new PracticeOptionsValidation().Validate(null, new PracticeOptions { TimeZone = zone });
        Assert.True(result.Failed);
        Assert.Contains("Practice:TimeZone", result.FailureMessage, StringComparison.Ordinal);
    }
}
