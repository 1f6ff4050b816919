using KapPractice.Web.Infrastructure.Outbox;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace KapPractice.Web.Features.Health;

/// <summary>For monitors and load balancers: 200 while the database answers (with the outbox backlog), 503 when it does not.</summary>
public sealed class HealthController(HealthCheckService health) : Controller
{
    [HttpGet("/healthz")]
    [ResponseCache(NoStore = true, Location = ResponseCacheLocation.None)]
    public async Task<IActionResult> Get(CancellationToken cancellationToken)
    {
        var report = await health.CheckHealthAsync(cancellationToken);
        var outbox = report.Entries.TryGetValue(OutboxHealthCheck.Name, out var entry) ? entry : default;
        var reachable = report.Status != HealthStatus.Unhealthy;
        var body = new HealthReportBody(
            report.Status.ToString(),
            reachable ? "ok" : "unreachable",
            reachable ? new OutboxCounts(Count(outbox, "pending"), Count(outbox, "failed")) : null);
        return StatusCode(reachable ? StatusCodes.Status200OK : StatusCodes.Status503ServiceUnavailable, body);
    }

    private static int Count(HealthReportEntry entry, string key) =>
        entry.Data is not null && entry.Data.TryGetValue(key, out var value) && value is int count ? count : 0;

    public sealed record HealthReportBody(string Status, string Database, OutboxCounts? Outbox);

    public sealed record OutboxCounts(int Pending, int Failed);
}
