using KapPractice.Web.Infrastructure.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace KapPractice.Web.Infrastructure.Email;

/// <summary>The database answers, and how much mail waits or has failed. Counts only: nothing about any inquiry.</summary>
public sealed class OutboxHealthCheck(KapDbContext db) : IHealthCheck
{
    public const string Name = "database-and-outbox";

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            var counts = await db.OutboxMessages
                .Where(m => m.State != OutboxState.Sent)
                .GroupBy(m => m.State)
                .Select(g => new { State = g.Key, Count = g.Count() })
                .ToListAsync(cancellationToken);
            var pending = counts.Where(c => c.State is OutboxState.Pending or OutboxState.Sending).Sum(c => c.Count);
            var failed = counts.Where(c => c.State == OutboxState.Failed).Sum(c => c.Count);
            var data = new Dictionary<string, object> { ["pending"] = pending, ["failed"] = failed };
            return failed > 0
                ? HealthCheckResult.Degraded("Some email has failed for good; see the admin area.", data: data)
                : HealthCheckResult.Healthy(data: data);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // The exception text can hold file paths; the type is enough for a public endpoint.
            return HealthCheckResult.Unhealthy($"Database unreachable ({ex.GetType().Name})");
        }
    }
}
