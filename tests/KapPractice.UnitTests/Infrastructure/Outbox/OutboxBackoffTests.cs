using KapPractice.Web.Infrastructure.Outbox;

namespace KapPractice.UnitTests.Infrastructure.Email;

public sealed class OutboxBackoffTests
{
    [Fact]
    public void The_wait_grows_from_thirty_seconds_and_is_capped_at_eight_hours()
    {
        var waits = Enumerable.Range(1, 12).Select(OutboxBackoff.BaseDelay).ToList();

        Assert.Equal(TimeSpan.FromSeconds(30), waits[0]);
        Assert.Equal(TimeSpan.FromMinutes(2), waits[1]);
        Assert.Equal(TimeSpan.FromMinutes(10), waits[2]);
        Assert.All(waits.Zip(waits.Skip(1)), pair => Assert.True(pair.Second >= pair.First));
        Assert.All(waits, wait => Assert.True(wait <= TimeSpan.FromHours(8)));
        Assert.Equal(TimeSpan.FromHours(8), waits[^1]);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(4)]
    [InlineData(9)]
    public void Jitter_stays_within_twenty_percent_of_the_step(int failedAttempts)
    {
        var step = OutboxBackoff.BaseDelay(failedAttempts);

        Assert.Equal(step * 0.8, OutboxBackoff.Delay(failedAttempts, 0));
        Assert.Equal(step, OutboxBackoff.Delay(failedAttempts, 0.5));
        Assert.InRange(OutboxBackoff.Delay(failedAttempts, 0.999_999), step * 1.19, step * 1.2);
        Assert.All(Enumerable.Range(0, 50).Select(_ => OutboxBackoff.Delay(failedAttempts, Random.Shared.NextDouble())),
            wait => Assert.InRange(wait, step * 0.8, step * 1.2));
    }

    [Fact]
    public void Even_with_the_worst_jitter_each_wait_before_the_cap_is_longer_than_the_one_before()
    {
        for (var attempt = 1; attempt < 8; attempt++)
        {
            Assert.True(OutboxBackoff.Delay(attempt + 1, 0) > OutboxBackoff.Delay(attempt, 0.999_999), $"after attempt {attempt}");
        }
    }

    [Fact]
    public void Ten_attempts_cover_about_a_day()
    {
        var total = Enumerable.Range(1, 9).Select(OutboxBackoff.BaseDelay).Aggregate(TimeSpan.Zero, (sum, wait) => sum + wait);

        Assert.InRange(total, TimeSpan.FromHours(20), TimeSpan.FromHours(28));
    }
}
