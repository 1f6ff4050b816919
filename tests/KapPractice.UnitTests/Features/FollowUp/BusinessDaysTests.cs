using KapPractice.Web.Features.FollowUp;
using KapPractice.Web.Infrastructure;
using Microsoft.Extensions.Options;

namespace KapPractice.UnitTests.Features.FollowUp;

public sealed class BusinessDaysTests
{
    private static readonly PracticeClock NewYork = new(Options.Create(new PracticeOptions { TimeZone = "America/New_York" }), TimeProvider.System);

    private static DateTime Utc(string value) => DateTime.SpecifyKind(DateTime.Parse(value, System.Globalization.CultureInfo.InvariantCulture), DateTimeKind.Utc);

    [Theory]
    // received (UTC), business days, overdue from (UTC); comments give New York local times
    [InlineData("2026-11-27 00:00", 2, "2026-12-01 05:00")] // Thu 19:00 EST → Fri, Mon: overdue from Tue 00:00 EST
    [InlineData("2026-11-28 00:30", 2, "2026-12-02 05:00")] // Fri 19:30 EST → Mon, Tue: overdue from Wed 00:00 EST
    [InlineData("2026-11-28 17:00", 2, "2026-12-02 05:00")] // Sat noon → Mon, Tue
    [InlineData("2026-11-29 23:59", 2, "2026-12-02 05:00")] // Sun 18:59 → Mon, Tue
    [InlineData("2026-11-30 15:00", 2, "2026-12-03 05:00")] // Mon 10:00 → Tue, Wed
    [InlineData("2026-11-27 03:00", 2, "2026-12-01 05:00")] // Thu 22:00 EST, already Friday in UTC: counted from the local Thursday
    [InlineData("2026-11-27 15:00", 1, "2026-12-01 05:00")] // Fri 10:00, one day → Mon
    [InlineData("2026-11-30 15:00", 10, "2026-12-15 05:00")] // Mon, ten days → Mon 14 Dec
    [InlineData("2026-03-07 00:00", 2, "2026-03-11 04:00")] // Fri 6 Mar 19:00 EST → Mon, Tue: the clocks go forward on Sunday, Wed 00:00 is EDT
    [InlineData("2026-10-31 00:00", 2, "2026-11-04 05:00")] // Fri 30 Oct 20:00 EDT → Mon, Tue: the clocks go back on Sunday, Wed 00:00 is EST
    public void The_deadline_is_the_end_of_the_nth_business_day_after_the_local_day_of_arrival(string receivedUtc, int days, string overdueFromUtc) =>
        Assert.Equal(Utc(overdueFromUtc), BusinessDays.DeadlineUtc(Utc(receivedUtc), days, NewYork));

    [Theory]
    [InlineData("2026-12-02 05:00:30", 2, "2026-11-30 05:00")] // Wed just after midnight: everything received through Sunday
    [InlineData("2026-12-01 04:59:00", 2, "2026-11-26 05:00")] // Mon 23:59: everything received through Wednesday the week before
    [InlineData("2026-11-29 17:00:00", 2, "2026-11-26 05:00")] // Sunday noon: through Wednesday (due by the end of Friday), not Thursday (due by the end of Monday)
    public void The_overdue_cutoff_is_the_start_of_the_first_local_day_not_yet_due(string nowUtc, int days, string cutoffUtc) =>
        Assert.Equal(Utc(cutoffUtc), BusinessDays.OverdueIfReceivedBeforeUtc(Utc(nowUtc), days, NewYork));

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(5)]
    public void The_cutoff_and_the_deadline_agree_for_every_hour_of_three_weeks_across_a_clock_change(int days)
    {
        var start = Utc("2026-10-22 00:00");
        var hours = Enumerable.Range(0, 21 * 24).Select(h => start.AddHours(h) + TimeSpan.FromMinutes(17)).ToList();
        foreach (var now in hours.Where((_, i) => i % 5 == 0))
        {
            var cutoff = BusinessDays.OverdueIfReceivedBeforeUtc(now, days, NewYork);
            foreach (var received in hours.Where(r => r <= now))
            {
                Assert.True(
                    BusinessDays.DeadlineUtc(received, days, NewYork) <= now == received < cutoff,
                    $"received {received:u}, now {now:u}");
            }
        }
    }

    [Theory]
    [InlineData("2026-12-04", 1, "2026-12-07")] // Friday → Monday
    [InlineData("2026-12-05", 1, "2026-12-07")] // Saturday → Monday
    [InlineData("2026-12-07", 5, "2026-12-14")] // Monday → next Monday
    [InlineData("2026-12-07", 0, "2026-12-07")]
    public void Business_days_skip_weekends(string day, int count, string expected) =>
        Assert.Equal(DateOnly.Parse(expected, System.Globalization.CultureInfo.InvariantCulture), BusinessDays.After(DateOnly.Parse(day, System.Globalization.CultureInfo.InvariantCulture), count));
}
