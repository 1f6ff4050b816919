namespace KapPractice.Web.Infrastructure.Outbox;

/// <summary>How long to wait before the next try: growing steps, ±20% jitter so retries never arrive in a herd, capped at 8 hours.</summary>
public static class OutboxBackoff
{
    public const double Jitter = 0.2;

    private static readonly TimeSpan[] Steps =
    [
        TimeSpan.FromSeconds(30),
        TimeSpan.FromMinutes(2),
        TimeSpan.FromMinutes(10),
        TimeSpan.FromMinutes(30),
        TimeSpan.FromHours(1),
        TimeSpan.FromHours(2),
        TimeSpan.FromHours(4),
        TimeSpan.FromHours(8),
    ];

    /// <summary>The un-jittered wait after the <paramref name="failedAttempts"/>-th failure (1 = the first).</summary>
    public static TimeSpan BaseDelay(int failedAttempts) => Steps[Math.Clamp(failedAttempts, 1, Steps.Length) - 1];

    /// <param name="random">A number in [0, 1): 0 gives the shortest wait, values near 1 the longest.</param>
    public static TimeSpan Delay(int failedAttempts, double random) =>
        BaseDelay(failedAttempts) * (1 - Jitter + (2 * Jitter * Math.Clamp(random, 0, 1)));
}
