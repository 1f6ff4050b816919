using KapPractice.Web.Domain;
using KapPractice.Web.Infrastructure;
using KapPractice.Web.Infrastructure.Data;
using KapPractice.Web.Infrastructure.Outbox;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace KapPractice.Web.Features.FollowUp;

/// <summary>
/// What the follow-up service does on each tick: queue the one reminder an unopened urgent inquiry gets, and the
/// day's digest once its time has come. Each queues its outbox rows in the same SaveChanges as its own record.
/// </summary>
public sealed class FollowUpChecks(
    KapDbContext db,
    OutboxWriter outboxWriter,
    OutboxSignal outboxSignal,
    IOptions<FollowUpOptions> options,
    IOptions<PracticeOptions> practice,
    PracticeClock clock,
    TimeProvider time,
    ILogger<FollowUpChecks> logger)
{
    /// <summary>Returns the ids of the inquiries a reminder was queued for.</summary>
    public async Task<IReadOnlyList<int>> QueueUrgentRemindersAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow().UtcDateTime;
        var arrivedBefore = now - options.Value.UrgentRemindAfter;
        var candidates = await db.Inquiries
            .Where(i => i.Outcome == ScreeningOutcome.Urgent && !i.IsSuspectedSpam && i.FirstViewedUtc == null
                && i.UrgentReminderQueuedUtc == null && i.ReceivedUtc <= arrivedBefore)
            .OrderBy(i => i.Id)
            .Select(i => i.Id)
            .ToListAsync(cancellationToken);
        if (candidates.Count == 0)
        {
            return [];
        }

        // Each reminder is claimed by a conditional UPDATE in the same transaction as its outbox row, so two
        // instances ticking at once queue it once: only the one whose UPDATE changed the row adds the message.
        var queued = new List<int>();
        await using (var transaction = await db.Database.BeginTransactionAsync(cancellationToken))
        {
            foreach (var id in candidates)
            {
                var claimed = await db.Inquiries
                    .Where(i => i.Id == id && i.UrgentReminderQueuedUtc == null && i.FirstViewedUtc == null)
                    .ExecuteUpdateAsync(u => u.SetProperty(i => i.UrgentReminderQueuedUtc, now), cancellationToken);
                if (claimed == 1)
                {
                    var row = outboxWriter.NewMessage(OutboxKind.UrgentReminder, practice.Value.ContactEmail);
                    row.InquiryId = id;
                    db.OutboxMessages.Add(row);
                    queued.Add(id);
                }
            }

            await db.SaveChangesAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }

        if (queued.Count == 0)
        {
            return [];
        }

        outboxSignal.Nudge();
        foreach (var id in queued)
        {
            logger.UrgentReminderQueued(id);
        }

        return queued;
    }

    /// <summary>
    /// Once the local day has reached FollowUp:DigestTime, records the day as checked and, when anything waits, queues
    /// the digest with it; a day already recorded is left alone, so one digest a day at most, across restarts too.
    /// Returns whether a digest was queued.
    /// </summary>
    public async Task<bool> QueueDigestIfDueAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow().UtcDateTime;
        var local = clock.ToLocal(now);
        var today = DateOnly.FromDateTime(local);
        if (TimeOnly.FromDateTime(local) < options.Value.DigestTimeOfDay || await db.DigestDays.AnyAsync(d => d.LocalDate == today, cancellationToken))
        {
            return false;
        }

        var waiting = await db.Inquiries.Waiting().AnyAsync(cancellationToken);
        db.DigestDays.Add(new DigestDay { LocalDate = today, CheckedUtc = now, Queued = waiting });
        if (waiting)
        {
            db.OutboxMessages.Add(outboxWriter.NewMessage(OutboxKind.PractitionerDigest, practice.Value.ContactEmail));
        }

        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException exception) when (exception.IsUniqueViolation())
        {
            // Another instance recorded today first (the day is the key), with its digest: this one sends none.
            db.ChangeTracker.Clear();
            return false;
        }

        if (waiting)
        {
            outboxSignal.Nudge();
            logger.DigestQueued(today);
        }

        return waiting;
    }
}

/// <summary>Runs <see cref="FollowUpChecks"/> at start-up and then every minute, timed by the injected clock; a failed check is logged and tried again at the next tick.</summary>
public sealed class FollowUpService(IServiceScopeFactory scopes, TimeProvider time, ILogger<FollowUpService> logger) : BackgroundService
{
    public static readonly TimeSpan CheckInterval = TimeSpan.FromMinutes(1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        do
        {
            await RunGuardedAsync((checks, token) => checks.QueueUrgentRemindersAsync(token), "urgent reminders", stoppingToken);
            await RunGuardedAsync((checks, token) => checks.QueueDigestIfDueAsync(token), "digest", stoppingToken);
        }
        while (await Turns.WaitAsync(time, CheckInterval, stoppingToken));
    }

    private async Task RunGuardedAsync(Func<FollowUpChecks, CancellationToken, Task> check, string name, CancellationToken stoppingToken)
    {
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            await check(scope.ServiceProvider.GetRequiredService<FollowUpChecks>(), stoppingToken);
        }
        catch (Exception exception) when (exception is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
        {
            logger.CheckFailed(name, exception);
        }
    }
}

/// <summary>Follow-up log lines: inquiry ids, dates and check names only.</summary>
internal static partial class FollowUpLog
{
    [LoggerMessage(Level = LogLevel.Information, Message = "Urgent reminder queued for inquiry {InquiryId}")]
    public static partial void UrgentReminderQueued(this ILogger logger, int inquiryId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Daily digest queued for {LocalDate}")]
    public static partial void DigestQueued(this ILogger logger, DateOnly localDate);

    [LoggerMessage(Level = LogLevel.Error, Message = "Follow-up check {Check} failed; it runs again at the next tick")]
    public static partial void CheckFailed(this ILogger logger, string check, Exception exception);
}
