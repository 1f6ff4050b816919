using KapPractice.Web.Infrastructure.Data;
using Microsoft.Extensions.Options;

namespace KapPractice.Web.Features.Retention;

/// <summary>
/// Runs the retention sweep on a timer: first one interval after start-up, then every interval, on one instance at a
/// time; and on every instance, the deletion of pickup files whose inquiry another instance deleted.
/// </summary>
public sealed class RetentionService(IServiceScopeFactory scopes, IOptions<RetentionOptions> options, TimeProvider time, ILogger<RetentionService> logger) : BackgroundService
{
    public const string JobName = "retention";

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (await Turns.WaitAsync(time, options.Value.SweepInterval, stoppingToken))
        {
            try
            {
                await using var scope = scopes.CreateAsyncScope();
                var sweeper = scope.ServiceProvider.GetRequiredService<RetentionSweeper>();
                // On every instance, not once across them: each may have a pickup folder of its own.
                await sweeper.DeleteOrphanedMailAsync(stoppingToken);
                if (await scope.ServiceProvider.GetRequiredService<OnceAcrossInstances>().TryClaimAsync(JobName, options.Value.SweepInterval, stoppingToken))
                {
                    await sweeper.SweepAsync(stoppingToken);
                }
            }
            catch (Exception exception) when (exception is not OperationCanceledException)
            {
                // A failed sweep is retried at the next tick; the app keeps serving.
                logger.RetentionFailed(exception);
            }
        }
    }
}
