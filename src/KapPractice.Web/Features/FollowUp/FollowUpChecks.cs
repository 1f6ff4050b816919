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
    /// <summary>
    /// Looks once at every inquiry that has waited FollowUp:UrgentRemindAfter, urgent or not, and marks it looked at
    /// (<see cref="Inquiry.ReminderCheckedUtc"/>), and queues one reminder row for each look that marked any, urgent or
    /// not: the composer mails the urgent ones, not opened and not suspected spam, and records the row as done when
    /// there are none. So neither the marks nor the rows tell a copy of the database which inquiries were urgent.
    /// An outcome that cannot be read counts as urgent: this is the one email that must not be missed.
    /// Returns the ids of the inquiries the reminder is about.
    /// </summary>
    public async Task<IReadOnlyList<int>> QueueUrgentRemindersAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow().UtcDateTime;
        var arrivedBefore = now - options.Value.UrgentRemindAfter;
        // The outcome is sealed: it is read (opened in memory) for the few inquiries not looked at yet.
        var candidates = await db.Inquiries.AsNoTracking()
            .Where(i => i.ReminderCheckedUtc == null && i.ReceivedUtc <= arrivedBefore)
            .OrderBy(i => i.Id)
            .Select(i => new { i.Id, i.Outcome })
            .ToListAsync(cancellationToken);
        if (candidates.Count == 0)
        {
            return [];
        }

        // Each inquiry is claimed by a conditional UPDATE in the same transaction as the outbox row, so two instances
        // ticking at once look at it once: only the one whose UPDATE changed the row counts it.
        var urgent = new List<int>();
        var marked = 0;
        await using (var transaction = await db.Database.BeginTransactionAsync(cancellationToken))
        {
            foreach (var candidate in candidates)
            {
                var claimed = await db.Inquiries
                    .Where(i => i.Id == candidate.Id && i.ReminderCheckedUtc == null)
                    .ExecuteUpdateAsync(u => u.SetProperty(i => i.ReminderCheckedUtc, now), cancellationToken);
                marked += claimed;
                if (claimed == 1 && FollowUpRules.MayBeUrgent(candidate.Outcome)
                    && await db.Inquiries.AnyAsync(i => i.Id == candidate.Id && i.FirstViewedUtc == null && !i.IsSuspectedSpam, cancellationToken))
                {
                    urgent.Add(candidate.Id);
                }
            }

            if (marked > 0)
            {
                // Names no inquiry: the composer finds those looked at in this same instant (docs/practitioner-guide.md).
                db.OutboxMessages.Add(outboxWriter.NewMessage(OutboxKind.UrgentReminder, practice.Value.ContactEmail, now));
                await db.SaveChangesAsync(cancellationToken);
            }

            await transaction.CommitAsync(cancellationToken);
        }

        if (marked == 0)
        {
            return [];
        }

        outboxSignal.Nudge();
        logger.ReminderCheckQueued(marked);
        return urgent;
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

/// <summary>Follow-up log lines: counts, dates and check names only.</summary>
internal static partial class FollowUpLog
{
    // How many were looked at, urgent or not: an id, or a count of urgent ones, would tell a client's screening.
    [LoggerMessage(Level = LogLevel.Information, Message = "Reminder check queued for {Count} inquiries that reached the reminder time")]
    public static partial void ReminderCheckQueued(this ILogger logger, int count);

    [LoggerMessage(Level = LogLevel.Information, Message = "Daily digest queued for {LocalDate}")]
    public static partial void DigestQueued(this ILogger logger, DateOnly localDate);

    [LoggerMessage(Level = LogLevel.Error, Message = "Follow-up check {Check} failed; it runs again at the next tick")]
    public static partial void CheckFailed(this ILogger logger, string check, Exception exception);
}
