using KapPractice.Web.Features.Booking;
using KapPractice.Web.Infrastructure;
using Microsoft.Extensions.Options;

namespace KapPractice.UnitTests.Features.Booking;

public sealed class BookingSlotsTests
{
    private static readonly PracticeClock NewYork = new(Options.Create(new PracticeOptions { TimeZone = "America/New_York" }), TimeProvider.System);

    private static DateTime Utc(int month, int day, int hour, int minute = 0) => new(2026, month, day, hour, minute, 0, DateTimeKind.Utc);

    private static SlotRules Rules(int slot = 15, int gap = 0, int horizonDays = 21, int noticeHours = 0, params DateOnly[] daysOff) =>
        new(slot, gap, horizonDays, noticeHours, daysOff.ToHashSet());

    private static IReadOnlyList<Slot> Open(string hours, SlotRules rules, DateTime now, params Slot[] taken) =>
        BookingSlots.Open(WeeklyHours.Parse(hours), rules, NewYork, now, taken);

    private static List<DateTime> Starts(IEnumerable<Slot> slots) => [.. slots.Select(s => s.StartUtc)];

    [Fact]
    public void Ten_in_the_morning_stays_ten_in_New_York_across_the_spring_change()
    {
        // Saturday 7 March is EST (UTC-5); Monday 9 March is EDT (UTC-4).
        var slots = Open("Sat 10:00-10:30; Mon 10:00-10:30", Rules(horizonDays: 5), Utc(3, 6, 12));

        Assert.Equal([Utc(3, 7, 15), Utc(3, 7, 15, 15), Utc(3, 9, 14), Utc(3, 9, 14, 15)], Starts(slots));
        Assert.All(slots, s => Assert.Equal(TimeSpan.FromMinutes(15), s.EndUtc - s.StartUtc));
    }

    [Fact]
    public void Ten_in_the_morning_stays_ten_in_New_York_across_the_autumn_change()
    {
        // Saturday 31 October is EDT (UTC-4); Monday 2 November is EST (UTC-5).
        var slots = Open("Sat,Mon 10:00-10:15", Rules(horizonDays: 5), Utc(10, 30, 12));

        Assert.Equal([Utc(10, 31, 14), Utc(11, 2, 15)], Starts(slots));
    }

    [Fact]
    public void The_hour_the_spring_change_skips_offers_no_slot_and_no_slot_twice()
    {
        // On 8 March clocks go from 02:00 EST straight to 03:00 EDT.
        var slots = Open("Sun 01:00-04:00", Rules(slot: 30, horizonDays: 3), Utc(3, 7, 12));

        Assert.Equal([Utc(3, 8, 6), Utc(3, 8, 6, 30), Utc(3, 8, 7), Utc(3, 8, 7, 30)], Starts(slots));
    }

    [Fact]
    public void Nothing_inside_the_minimum_notice_is_offered()
    {
        // Now is Tuesday 1 December 09:00 Eastern (14:00 UTC): 24 hours' notice makes Wednesday 09:00 Eastern the earliest start,
        // and a two-day horizon ends before Thursday 09:00.
        var slots = Open("Mon-Fri 08:00-10:00", Rules(slot: 30, horizonDays: 2, noticeHours: 24), Utc(12, 1, 14));

        Assert.Equal([Utc(12, 2, 14), Utc(12, 2, 14, 30), Utc(12, 3, 13), Utc(12, 3, 13, 30)], Starts(slots));
    }

    [Fact]
    public void Nothing_beyond_the_horizon_is_offered()
    {
        var now = Utc(12, 1, 12);
        var slots = Open("Mon-Sun 10:00-11:00", Rules(slot: 60, horizonDays: 3), now);

        // 10:00 Eastern on 1, 2 and 3 December; the 4th starts after now + 3 days.
        Assert.Equal([Utc(12, 1, 15), Utc(12, 2, 15), Utc(12, 3, 15)], Starts(slots));
    }

    [Fact]
    public void Days_off_offer_nothing()
    {
        var slots = Open("Mon-Sun 10:00-11:00", Rules(slot: 60, horizonDays: 3, daysOff: new DateOnly(2026, 12, 2)), Utc(12, 1, 12));

        Assert.Equal([Utc(12, 1, 15), Utc(12, 3, 15)], Starts(slots));
    }

    [Fact]
    public void A_taken_slot_is_not_offered_and_the_gap_keeps_its_neighbours_free()
    {
        // Booked at 10:15 Eastern under earlier settings.
        var taken = new Slot(Utc(12, 2, 15, 15), Utc(12, 2, 15, 30));

        var withoutGap = Open("Wed 10:00-11:00", Rules(horizonDays: 3), Utc(12, 1, 12), taken);
        var withGap = Open("Wed 10:00-11:00", Rules(gap: 15, horizonDays: 3), Utc(12, 1, 12), taken);

        Assert.Equal([Utc(12, 2, 15), Utc(12, 2, 15, 30), Utc(12, 2, 15, 45)], Starts(withoutGap));
        // With 15 minutes between calls the slots are 10:00 and 10:30: each is less than 15 minutes from the booked call.
        Assert.Empty(withGap);
    }

    [Fact]
    public void A_gap_spaces_the_slots()
    {
        var slots = Open("Thu 10:00-11:00", Rules(slot: 15, gap: 10, horizonDays: 3), Utc(12, 1, 12));

        // 10:00-10:15 and 10:25-10:40 Eastern; 10:50 would end after 11:00.
        Assert.Equal([Utc(12, 3, 15), Utc(12, 3, 15, 25)], Starts(slots));
    }
}

public sealed class WeeklyHoursTests
{
    [Theory]
    [InlineData("Mon-Fri 10:00-16:00", "Mon 10:00-16:00; Tue 10:00-16:00; Wed 10:00-16:00; Thu 10:00-16:00; Fri 10:00-16:00")]
    [InlineData("sat 9:00-12:00, 13:00-15:00; Mon,Wed 10:00-11:00", "Mon 10:00-11:00; Wed 10:00-11:00; Sat 09:00-12:00, 13:00-15:00")]
    [InlineData("Fri-Mon 10:00-11:00", "Mon 10:00-11:00; Fri 10:00-11:00; Sat 10:00-11:00; Sun 10:00-11:00")]
    [InlineData("Mon 20:00-24:00", "Mon 20:00-24:00")]
    public void Hours_are_read_and_written_back_day_by_day(string text, string stored) =>
        Assert.Equal(stored, WeeklyHours.Parse(text).ToString());

    [Theory]
    [InlineData("Mon-Fri", "needs days and times")]
    [InlineData("Someday 10:00-11:00", "is not a day")]
    [InlineData("Mon 10-11", "is not a time range")]
    [InlineData("Mon 12:00-11:00", "end must come after the start")]
    [InlineData("Mon 10:00-12:00, 11:00-13:00", "overlap")]
    public void Hours_that_cannot_be_read_say_why(string text, string why)
    {
        Assert.False(WeeklyHours.TryParse(text, out _, out var error));
        Assert.Contains(why, error, StringComparison.Ordinal);
    }

    [Fact]
    public void A_bad_default_stops_start_up_naming_the_setting()
    {
        var result = new BookingOptionsValidation().Validate(null, new BookingOptions { DefaultHours = "weekdays" });

        Assert.True(result.Failed);
        Assert.Contains("Booking:DefaultHours", result.FailureMessage, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(51)]
    public void A_change_limit_out_of_range_stops_start_up_naming_the_setting(int limit)
    {
        Assert.Equal(5, new BookingOptions().ChangesPerLink);
        var result = new BookingOptionsValidation().Validate(null, new BookingOptions { ChangesPerLink = limit });

        Assert.True(result.Failed);
        Assert.Contains("Booking:ChangesPerLink", result.FailureMessage, StringComparison.Ordinal);
        Assert.True(new BookingOptionsValidation().Validate(null, new BookingOptions { ChangesPerLink = 0 }).Succeeded);
    }

    [Fact]
    public void The_defaults_pass_and_a_plain_http_meeting_link_does_not()
    {
        Assert.True(new BookingOptionsValidation().Validate(null, new BookingOptions()).Succeeded);
        var result = new BookingOptionsValidation().Validate(null, new BookingOptions { MeetingUrl = "http://meet.example.org/room" });
        Assert.Contains("Booking:MeetingUrl", result.FailureMessage, StringComparison.Ordinal);
    }
}
