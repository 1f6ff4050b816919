using System.ComponentModel.DataAnnotations;
using KapPractice.Web.Infrastructure.Data;

namespace KapPractice.UnitTests.Infrastructure.Data;

public sealed class BackupOptionsTests
{
    [Fact]
    public void The_longest_interval_is_the_longest_wait_a_timer_accepts()
    {
        using var cancelled = new CancellationTokenSource();
        cancelled.Cancel();

        // Task.Delay checks the length before the token: the longest interval is accepted, a millisecond more is not.
        Assert.True(Task.Delay(BackupOptions.MaxInterval, TimeProvider.System, cancelled.Token).IsCanceled);
        Assert.Throws<ArgumentOutOfRangeException>(() => { _ = Task.Delay(BackupOptions.MaxInterval + TimeSpan.FromMilliseconds(1), TimeProvider.System, cancelled.Token); });
    }

    [Theory]
    [InlineData("00:00:00")]
    [InlineData("1.00:00:00")]
    [InlineData("49.17:02:47.294")]
    public void An_interval_from_off_to_the_longest_a_timer_waits_is_valid(string interval) =>
        Assert.Empty(Problems(new BackupOptions { Interval = TimeSpan.Parse(interval, System.Globalization.CultureInfo.InvariantCulture) }));

    [Theory]
    [InlineData("-00:00:01")]
    [InlineData("49.17:02:47.295")]
    [InlineData("365.00:00:00")]
    public void A_negative_interval_or_one_longer_than_a_timer_waits_is_refused_naming_the_key_and_the_limit(string interval)
    {
        var problem = Assert.Single(Problems(new BackupOptions { Interval = TimeSpan.Parse(interval, System.Globalization.CultureInfo.InvariantCulture) }));

        Assert.StartsWith("Backup:Interval must be from 00:00:00 (scheduled backups off) to 49.17:02:47.2940000", problem.ErrorMessage, StringComparison.Ordinal);
    }

    private static List<ValidationResult> Problems(BackupOptions options)
    {
        var results = new List<ValidationResult>();
        Validator.TryValidateObject(options, new ValidationContext(options), results, validateAllProperties: true);
        return results;
    }
}
