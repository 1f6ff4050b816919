using KapPractice.Web.Domain;
using KapPractice.Web.Infrastructure.Data;
using KapPractice.Web.Infrastructure.Email;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace KapPractice.Web.Infrastructure.Outbox;

/// <summary>
/// Sends what the outbox holds: woken by <see cref="OutboxSignal"/> or when the next retry falls due
/// (timed by the injected clock), one DI scope per pass. Each row is claimed, sent outside any
/// transaction, then marked sent, scheduled for retry, or failed. Rows a crash left "sending" are
/// taken again once their claim has run out (<see cref="SendingLease"/>), at start-up or by any instance's pass, so
/// nothing is lost across restarts; not sooner, since another instance on the same database may be sending them.
/// </summary>
public sealed class OutboxDispatcher(
    IServiceScopeFactory scopes,
    OutboxSignal signal,
    IMailTransport transport,
    IEnumerable<IOutboxComposer> composers,
    MailPickupFolder mailPickup,
    TimeProvider time,
    IOptions<EmailOptions> emailOptions,
    ILogger<OutboxDispatcher> logger) : BackgroundService
{
    private readonly IOutboxComposer[] _composers = [.. composers];

    /// <summary>The longest sleep, so a row changed without a nudge (e.g. by hand) is still seen.</summary>
    public static readonly TimeSpan MaxIdle = TimeSpan.FromMinutes(1);

    private const int BatchSize = 20;

    /// <summary>A row "sending" for longer than this was abandoned by a crash elsewhere and is taken again.</summary>
    private TimeSpan SendingLease => TimeSpan.FromTicks(Math.Max(TimeSpan.FromMinutes(10).Ticks, emailOptions.Value.Smtp.Timeout.Ticks * 8));

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            await RunGuardedAsync(DispatchDueAsync, stoppingToken);
            var nextDue = await RunGuardedAsync(NextDueAsync, stoppingToken);
            await WaitAsync(nextDue, stoppingToken);
        }
    }

    /// <summary>
    /// Puts back rows a crash left "sending" once their claim ran out (at the start of every pass, the first at
    /// start-up); their attempt counts, so a message that crashes whoever sends it goes to failed instead.
    /// </summary>
    public async Task RecoverAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<KapDbContext>();
        var now = time.GetUtcNow().UtcDateTime;
        var maxAttempts = emailOptions.Value.MaxAttempts;
        // A variable, not a literal: the error is encrypted, so it must be a parameter sealed at each run.
        var interrupted = "Interrupted during the last attempt; the outcome is unknown";
        // Only claims that have run out: another instance on the same database (PostgreSQL, or a second process on
        // the SQLite file during an update) may be sending the others right now.
        var abandoned = db.OutboxMessages.Where(m => m.State == OutboxState.Sending && m.LastAttemptUtc < now - SendingLease);
        var exhausted = await abandoned
            .Where(m => m.Attempts >= maxAttempts)
            .ExecuteUpdateAsync(s => s
                .SetProperty(m => m.State, OutboxState.Failed)
                .SetProperty(m => m.LastError, interrupted), cancellationToken);
        var resumed = await abandoned
            .ExecuteUpdateAsync(s => s
                .SetProperty(m => m.State, OutboxState.Pending)
                .SetProperty(m => m.NextAttemptUtc, now), cancellationToken);
        if (resumed + exhausted > 0)
        {
            OutboxLog.Recovered(logger, resumed, exhausted);
        }
    }

    /// <summary>Sends every row that is due now, batch by batch, until none is left.</summary>
    public async Task DispatchDueAsync(CancellationToken cancellationToken)
    {
        await RecoverAsync(cancellationToken);
        while (!cancellationToken.IsCancellationRequested)
        {
            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<KapDbContext>();
            var now = time.GetUtcNow().UtcDateTime;
            var due = await Due(db.OutboxMessages, now)
                .OrderBy(m => m.NextAttemptUtc).ThenBy(m => m.Id)
                .Select(m => m.Id)
                .Take(BatchSize)
                .ToListAsync(cancellationToken);
            if (due.Count == 0)
            {
                return;
            }

            foreach (var id in due)
            {
                await DispatchOneAsync(db, id, cancellationToken);
            }
        }
    }

    private static IQueryable<OutboxMessage> Due(IQueryable<OutboxMessage> rows, DateTime now) =>
        rows.Where(m => m.State == OutboxState.Pending && m.NextAttemptUtc <= now);

    /// <summary>This claim of the row and no later one: a claim that ran out and was taken over is no longer ours to record.</summary>
    private static IQueryable<OutboxMessage> Mine(IQueryable<OutboxMessage> rows, int id, DateTime claimedUtc) =>
        rows.Where(m => m.Id == id && m.State == OutboxState.Sending && m.LastAttemptUtc == claimedUtc);

    private async Task DispatchOneAsync(KapDbContext db, int id, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow().UtcDateTime;
        // The claim's time is its mark (whole microseconds, which PostgreSQL keeps exactly).
        var claimedUtc = new DateTime(now.Ticks - (now.Ticks % 10), DateTimeKind.Utc);
        // The claim is one conditional UPDATE: short, and safe against anyone else changing the row meanwhile.
        var claimed = await Due(db.OutboxMessages.Where(m => m.Id == id), now)
            .ExecuteUpdateAsync(s => s
                .SetProperty(m => m.State, OutboxState.Sending)
                .SetProperty(m => m.LastAttemptUtc, claimedUtc)
                .SetProperty(m => m.Attempts, m => m.Attempts + 1), cancellationToken);
        if (claimed == 0)
        {
            return;
        }

        try
        {
            await SendClaimedAsync(db, id, claimedUtc, cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Stopping at any point after the claim: queue it again at once, for this instance's restart or another
            // instance (not after the lease); the stable Message-ID marks a possible duplicate of a send cut short.
            await Mine(db.OutboxMessages, id, claimedUtc)
                .ExecuteUpdateAsync(s => s.SetProperty(m => m.State, OutboxState.Pending), CancellationToken.None);
            throw;
        }
    }

    private async Task SendClaimedAsync(KapDbContext db, int id, DateTime claimedUtc, CancellationToken cancellationToken)
    {
        var row = await db.OutboxMessages.AsNoTracking().SingleAsync(m => m.Id == id, cancellationToken);
        if (row.Recipient == Domain.UnreadableValue.Text)
        {
            // Sealed with a key this instance does not have yet (another rotated): tried again later, by it once its
            // key file is there or by an instance that has the key, rather than failed for good.
            await RecordAsync(db, row, claimedUtc, DeliveryResult.Retry("The recipient could not be read on this instance (is the newest data key here?).", "RecipientUnreadable"));
            return;
        }

        DeliveryResult result;
        MimeKit.MimeMessage message;
        try
        {
            var composer = Array.Find(_composers, c => c.Composes(row.Kind))
                ?? throw new InvalidOperationException($"No composer for outbox kind {row.Kind}.");
            message = await composer.ComposeAsync(db, row, time.GetUtcNow(), cancellationToken);
        }
        catch (MessageNoLongerNeededException) when (row.Kind == OutboxKind.UrgentReminder)
        {
            // Recorded as done, as a sent one is: every look that marked inquiries queues a reminder row, urgent or
            // not, so the rows, their states and their ids tell a copy of the database nothing (docs/security.md).
            await RecordAsync(db, row, claimedUtc, DeliveryResult.Sent);
            return;
        }
        catch (MessageNoLongerNeededException)
        {
            await Mine(db.OutboxMessages, row.Id, claimedUtc).ExecuteDeleteAsync(CancellationToken.None);
            OutboxLog.Dropped(logger, row.Id, row.Kind);
            return;
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            // A moment without memory (the managed heap has a ceiling: docs/deployment.md) says nothing about the
            // message: tried again after the back-off. Anything else would fail the same way again: failed for good.
            var error = $"The message could not be composed: {ex.GetType().Name}";
            await RecordAsync(db, row, claimedUtc, ex is OutOfMemoryException
                ? DeliveryResult.Retry(error, "ComposeOutOfMemory")
                : DeliveryResult.Fail(error, "ComposeFailed"));
            return;
        }

        try
        {
            // Not cut short by a stop: a message the server took before the cut would be sent again by whoever picks
            // the row up. The transport's own timeout (Email:Smtp:Timeout) bounds it; the host waits that long.
            result = await transport.SendAsync(new OutgoingMail(row.Id, message), CancellationToken.None);
        }
        catch (Exception ex)
        {
            // A transport must classify its own failures; anything that escapes is treated as worth a retry.
            result = DeliveryResult.Retry($"{ex.GetType().Name}: {ex.Message}", ex.GetType().Name);
        }

        await RecordAsync(db, row, claimedUtc, result);
    }

    /// <summary>Written even when shutting down, so a finished send is never forgotten.</summary>
    private async Task RecordAsync(KapDbContext db, OutboxMessage row, DateTime claimedUtc, DeliveryResult result)
    {
        var now = time.GetUtcNow().UtcDateTime;
        var mine = Mine(db.OutboxMessages, row.Id, claimedUtc);
        var error = Truncate(result.Error);
        switch (result.Outcome)
        {
            case DeliveryOutcome.Sent:
                var marked = await mine.ExecuteUpdateAsync(s => s
                    .SetProperty(m => m.State, OutboxState.Sent)
                    .SetProperty(m => m.SentUtc, now)
                    .SetProperty(m => m.LastError, (string?)null), CancellationToken.None);
                if (marked == 0 && !await db.OutboxMessages.AnyAsync(m => m.Id == row.Id, CancellationToken.None))
                {
                    // The inquiry was deleted while this was being written: its pickup copy goes too.
                    mailPickup.DeleteFor([row.Id]);
                }

                OutboxLog.Sent(logger, row.Id, row.Kind, row.Attempts);
                break;

            case DeliveryOutcome.Transient when row.Attempts < emailOptions.Value.MaxAttempts:
                var next = now + OutboxBackoff.Delay(row.Attempts, Random.Shared.NextDouble());
                await mine.ExecuteUpdateAsync(s => s
                    .SetProperty(m => m.State, OutboxState.Pending)
                    .SetProperty(m => m.NextAttemptUtc, next)
                    .SetProperty(m => m.LastError, error), CancellationToken.None);
                OutboxLog.WillRetry(logger, row.Id, row.Kind, row.Attempts, result.LogCode, next);
                break;

            default:
                var final = result.Outcome == DeliveryOutcome.Transient ? Truncate($"Gave up after {Plural.Count(row.Attempts, "attempt", "attempts")}. {error}") : error;
                await mine.ExecuteUpdateAsync(s => s
                    .SetProperty(m => m.State, OutboxState.Failed)
                    .SetProperty(m => m.LastError, final), CancellationToken.None);
                OutboxLog.FailedForGood(logger, row.Id, row.Kind, row.Attempts, result.LogCode);
                break;
        }
    }

    /// <summary>When the earliest pending row falls due; null when none is pending.</summary>
    private async Task<DateTime?> NextDueAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<KapDbContext>();
        return await db.OutboxMessages
            .Where(m => m.State == OutboxState.Pending)
            .OrderBy(m => m.NextAttemptUtc)
            .Select(m => (DateTime?)m.NextAttemptUtc)
            .FirstOrDefaultAsync(cancellationToken);
    }

    /// <summary>Sleeps until <paramref name="nextDue"/> (at most <see cref="MaxIdle"/>) or a nudge.</summary>
    private async Task WaitAsync(DateTime? nextDue, CancellationToken stoppingToken)
    {
        var idle = nextDue is { } due ? due - time.GetUtcNow().UtcDateTime : MaxIdle;
        if (idle <= TimeSpan.Zero)
        {
            return;
        }

        using var wake = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
        try
        {
            var timer = Task.Delay(idle < MaxIdle ? idle : MaxIdle, time, wake.Token);
            // A clock that jumped past the due time while the timer was being set would never fire it (a test's fake clock can).
            if (nextDue is { } dueNow && time.GetUtcNow().UtcDateTime >= dueNow)
            {
                return;
            }

            await Task.WhenAny(signal.WaitAsync(wake.Token), timer);
        }
        finally
        {
            await wake.CancelAsync();
        }
    }

    /// <summary>A database hiccup must not stop the dispatcher (and with it the host): it is logged and tried again on the next wake.</summary>
    private async Task<T?> RunGuardedAsync<T>(Func<CancellationToken, Task<T>> work, CancellationToken stoppingToken)
    {
        try
        {
            return await work(stoppingToken);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            return default;
        }
        catch (Exception ex)
        {
            OutboxLog.PassFailed(logger, ex.GetType().Name);
            return default;
        }
    }

    private async Task RunGuardedAsync(Func<CancellationToken, Task> work, CancellationToken stoppingToken) =>
        await RunGuardedAsync(async ct =>
        {
            await work(ct);
            return true;
        }, stoppingToken);

    private static string? Truncate(string? text) => text is { Length: > TextLimits.DeliveryError } ? text[..TextLimits.DeliveryError] : text;
}
