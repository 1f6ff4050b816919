namespace KapPractice.Web.Infrastructure.Data;

/// <summary>The wait between two turns of a background check.</summary>
public static class Turns
{
    /// <summary>
    /// Waits one interval on the given clock; false once the app is stopping. One delay per turn rather than a
    /// PeriodicTimer: a fake clock moved on by days (as the tests move it) wakes it once, where a PeriodicTimer on it
    /// fires once for every interval that passed (docs/performance.md).
    /// </summary>
    public static async Task<bool> WaitAsync(TimeProvider time, TimeSpan interval, CancellationToken stoppingToken)
    {
        try
        {
            await Task.Delay(interval, time, stoppingToken);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }
}
