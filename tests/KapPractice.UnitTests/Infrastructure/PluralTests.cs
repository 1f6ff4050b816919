using KapPractice.Web.Infrastructure;

namespace KapPractice.UnitTests.Infrastructure;

public sealed class PluralTests
{
    [Theory]
    [InlineData(0, "0 attempts")]
    [InlineData(1, "1 attempt")]
    [InlineData(2, "2 attempts")]
    [InlineData(1200, "1,200 attempts")]
    public void Counts_take_the_singular_only_for_one(int count, string expected)
    {
        Assert.Equal(expected, Plural.Count(count, "attempt", "attempts"));
    }

    [Theory]
    [InlineData(24 * 60, "1 day")]
    [InlineData(3 * 24 * 60, "3 days")]
    [InlineData(24 * 60 + 30, "24 hours")]
    [InlineData(60, "1 hour")]
    [InlineData(150, "2 hours")]
    [InlineData(30, "30 minutes")]
    [InlineData(1, "1 minute")]
    public void Durations_read_in_the_largest_plain_unit(int minutes, string expected)
    {
        Assert.Equal(expected, Plural.Duration(TimeSpan.FromMinutes(minutes)));
    }

    [Fact]
    public void Under_two_minutes_and_not_whole_reads_in_seconds()
    {
        Assert.Equal("90 s", Plural.Duration(TimeSpan.FromSeconds(90)));
    }
}
