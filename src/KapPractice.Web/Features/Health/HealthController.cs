using KapPractice.Web.Infrastructure.Outbox;
using KapPractice.Web.Infrastructure.Data;
using KapPractice.Web.Domain;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace KapPractice.Web.Features.Health;

/// <summary>For monitors and load balancers: 200 while the database answers (with the outbox backlog and the newest backup's age), 503 when it does not.</summary>
public sealed class HealthController(HealthCheckService health) : Controller
{
    [HttpGet("/healthz")]
    [ResponseCache(NoStore = true, Location = ResponseCacheLocation.None)]
    public async Task<IActionResult> Get(CancellationToken cancellationToken)
    {
        var report = await health.CheckHealthAsync(cancellationToken);
        var outbox = report.Entries.TryGetValue(OutboxHealthCheck.Name, out var entry) ? entry : default;
        var reachable = report.Status != HealthStatus.Unhealthy;
        var backup = report.Entries.TryGetValue(BackupHealthCheck.Name, out var backupEntry) && backupEntry.Data.ContainsKey("ageSeconds")
            ? new BackupAge(
                backupEntry.Data.TryGetValue("newestUtc", out var newest) && newest is DateTime taken ? Labels.Utc(taken) : null,
                (long)backupEntry.Data["ageSeconds"])
            : null;
        var body = new HealthReportBody(
            report.Status.ToString(),
            reachable ? "ok" : "unreachable",
            reachable ? new OutboxCounts(Count(outbox, "pending"), Count(outbox, "failed")) : null,
            backup);
        return StatusCode(reachable ? StatusCodes.Status200OK : StatusCodes.Status503ServiceUnavailable, body);
    }

    private static int Count(HealthReportEntry entry, string key) =>
        entry.Data is not null && entry.Data.TryGetValue(key, out var value) && value is int count ? count : 0;

    public sealed record HealthReportBody(string Status, string Database, OutboxCounts? Outbox, BackupAge? Backup);

    /// <summary>The newest scheduled backup (null before the first) and its age; null altogether when scheduled backups are off.</summary>
    public sealed record BackupAge(string? NewestUtc, long AgeSeconds);

    public sealed record OutboxCounts(int Pending, int Failed);
}
