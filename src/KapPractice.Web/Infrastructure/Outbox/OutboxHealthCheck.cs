using KapPractice.Web.Domain;
using KapPractice.Web.Infrastructure.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace KapPractice.Web.Infrastructure.Outbox;

/// <summary>The database answers, how much mail waits, and how many emails have failed for good. Counts only: nothing about any inquiry.</summary>
public sealed class OutboxHealthCheck(KapDbContext db) : IHealthCheck
{
    public const string Name = "database-and-outbox";

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            var pending = await db.OutboxMessages.CountAsync(m => m.State == OutboxState.Pending || m.State == OutboxState.Sending, cancellationToken);
            // Only what still needs the practitioner: any email that failed and was not sent again since (see FailedForGood).
            var failed = await db.FailedForGood().CountAsync(cancellationToken);
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
