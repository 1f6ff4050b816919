using KapPractice.Web.Infrastructure.Audit;
using KapPractice.Web.Infrastructure.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace KapPractice.Web.Features.Content;

/// <summary>
/// Keeps every instance's copy of the site current: each tick reads the content version (one small query) and rebuilds
/// the copy when another instance changed it or a schedule fell due; one instance at a time then records the due
/// schedules for good (their redirects and audit lines).
/// </summary>
public sealed class ContentRefresher(
    IServiceScopeFactory scopes,
    PublishedContent published,
    IOptions<ContentOptions> options,
    TimeProvider time,
    ILogger<ContentRefresher> logger) : BackgroundService
{
    public const string JobName = "content-schedule";

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var interval = options.Value.RefreshInterval;
        while (await Turns.WaitAsync(time, interval, stoppingToken))
        {
            try
            {
                await TickAsync(interval, stoppingToken);
            }
            catch (Exception exception) when (exception is not OperationCanceledException)
            {
                // The copy visitors see stays as it was; the next tick tries again.
                logger.ContentRefreshFailed(exception);
            }
        }
    }

    /// <summary>One look: rebuild if stale, then record due schedules if this instance holds the lease.</summary>
    public async Task TickAsync(TimeSpan interval, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<KapDbContext>();
        var now = time.GetUtcNow().UtcDateTime;
        // Asked of the database, not of this copy: a schedule that fell due while no instance was running is recorded too.
        if (await db.ContentItems.AnyAsync(i => i.DeletedUtc == null && i.ScheduledRevisionId != null && i.PublishAtUtc <= now, cancellationToken)
            && await scope.ServiceProvider.GetRequiredService<OnceAcrossInstances>().TryClaimAsync(JobName, interval, cancellationToken))
        {
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            await ContentPublishing.LockChangesAsync(db, cancellationToken);
            var count = await ContentPublishing.PublishDueAsync(db, scope.ServiceProvider.GetRequiredService<AuditLog>(), now, cancellationToken);
            await db.SaveChangesAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            if (count > 0)
            {
                logger.ScheduledContentPublished(count);
            }
        }

        if (published.IsStale(await ContentPublishing.ReadVersionAsync(db, cancellationToken)))
        {
            await published.RefreshAsync(cancellationToken);
        }
    }
}

internal static partial class ContentLog
{
    [LoggerMessage(Level = LogLevel.Error, Message = "Refreshing the published content failed; visitors see the previous copy")]
    public static partial void ContentRefreshFailed(this ILogger logger, Exception exception);

    [LoggerMessage(Level = LogLevel.Information, Message = "Published {Count} scheduled page(s) or article(s)")]
    public static partial void ScheduledContentPublished(this ILogger logger, int count);

    [LoggerMessage(Level = LogLevel.Information, Message = "Seeded the site's content from {Count} Markdown file(s)")]
    public static partial void ContentSeeded(this ILogger logger, int count);
}
