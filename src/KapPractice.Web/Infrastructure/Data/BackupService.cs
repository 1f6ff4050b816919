using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace KapPractice.Web.Infrastructure.Data;

/// <summary>Takes a backup every Backup:Interval: at start-up when the newest is that old (or there is none), then on time.</summary>
public sealed class BackupService(DatabaseBackup backup, IServiceScopeFactory scopes, TimeProvider time) : BackgroundService
{
    public const string JobName = "backup";

    /// <summary>After a failed backup, the next try comes this soon (or one interval later, if that is sooner).</summary>
    public static readonly TimeSpan RetryAfterFailure = TimeSpan.FromMinutes(10);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var interval = backup.Interval;
        if (interval <= TimeSpan.Zero)
        {
            return;
        }

        backup.StartedUtc = time.GetUtcNow().UtcDateTime;
        var retryAt = (DateTime?)null;
        while (!stoppingToken.IsCancellationRequested)
        {
            var now = time.GetUtcNow().UtcDateTime;
            var newest = backup.List().Select(b => (DateTime?)b.TakenUtc).FirstOrDefault();
            var due = retryAt ?? (newest is { } taken ? taken + interval : now);
            try
            {
                if (due > now)
                {
                    await Task.Delay(due - now, time, stoppingToken);
                }

                retryAt = null;
                await using var scope = scopes.CreateAsyncScope();
                if (await scope.ServiceProvider.GetRequiredService<OnceAcrossInstances>().TryClaimAsync(JobName, interval, stoppingToken))
                {
                    await backup.RunScheduledAsync(stoppingToken);
                }
                else
                {
                    // Another instance holds this turn; look again one interval on.
                    retryAt = time.GetUtcNow().UtcDateTime + interval;
                }
            }
            catch (OperationCanceledException)
            {
                return;
            }
            catch (Exception)
            {
                // Logged and audited by RunScheduledAsync; the health check turns Degraded if it keeps failing.
                retryAt = time.GetUtcNow().UtcDateTime + (interval < RetryAfterFailure ? interval : RetryAfterFailure);
            }
        }
    }
}

/// <summary>/healthz: the age of the newest backup; Degraded when it (or, with none, the service's start) is older than two intervals.</summary>
public sealed class BackupHealthCheck(DatabaseBackup backup, TimeProvider time) : IHealthCheck
{
    public const string Name = "backup";

    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var interval = backup.Interval;
        if (interval <= TimeSpan.Zero)
        {
            return Task.FromResult(HealthCheckResult.Healthy("Scheduled backups are off."));
        }

        var now = time.GetUtcNow().UtcDateTime;
        var newest = backup.List().Select(b => (DateTime?)b.TakenUtc).FirstOrDefault();
        var since = newest ?? backup.StartedUtc ?? now;
        var age = now - since;
        var data = new Dictionary<string, object> { ["ageSeconds"] = (long)age.TotalSeconds };
        if (newest is { } taken)
        {
            data["newestUtc"] = taken;
        }

        return Task.FromResult(age > interval * 2
            ? HealthCheckResult.Degraded(newest is null ? "No backup has been taken." : "The newest backup is older than two intervals.", data: data)
            : HealthCheckResult.Healthy(data: data));
    }
}
