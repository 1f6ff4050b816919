using KapPractice.Web.Domain;
using KapPractice.Web.Infrastructure.Data;
using KapPractice.Web.Infrastructure.Outbox;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace KapPractice.Web.Features.Booking;

/// <summary>Queues the client's reminder, once, when an active booking comes within Booking:ReminderBefore.</summary>
public sealed class BookingReminders(KapDbContext db, OutboxWriter outbox, OutboxSignal signal, IOptions<BookingOptions> options, TimeProvider time)
{
    public async Task<int> QueueDueAsync(CancellationToken cancellationToken)
    {
        var before = options.Value.ReminderBefore;
        if (before <= TimeSpan.Zero)
        {
            return 0;
        }

        var now = time.GetUtcNow().UtcDateTime;
        var due = await db.Bookings
            .Where(b => b.State == BookingState.Active && b.ReminderQueuedUtc == null && b.StartUtc > now && b.StartUtc <= now + before)
            .OrderBy(b => b.Id)
            .Select(b => new { b.Id, b.InquiryId, b.Inquiry!.Email })
            .ToListAsync(cancellationToken);
        if (due.Count == 0)
        {
            return 0;
        }

        // Each reminder is claimed by a conditional UPDATE in the same transaction as its outbox row, so two instances
        // looking at once queue it once. The UPDATE leaves Sequence alone: a reminder is not a change of the booking.
        var queued = 0;
        await using (var transaction = await db.Database.BeginTransactionAsync(cancellationToken))
        {
            foreach (var booking in due)
            {
                var claimed = await db.Bookings
                    .Where(b => b.Id == booking.Id && b.State == BookingState.Active && b.ReminderQueuedUtc == null)
                    .ExecuteUpdateAsync(u => u.SetProperty(b => b.ReminderQueuedUtc, now), cancellationToken);
                if (claimed == 1)
                {
                    var row = outbox.NewMessage(OutboxKind.BookingReminderToClient, booking.Email);
                    row.InquiryId = booking.InquiryId;
                    row.BookingId = booking.Id;
                    db.OutboxMessages.Add(row);
                    queued++;
                }
            }

            await db.SaveChangesAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }

        if (queued > 0)
        {
            signal.Nudge();
        }

        return queued;
    }
}

/// <summary>Looks for reminders due once a minute, on the injected clock.</summary>
public sealed class BookingReminderService(IServiceScopeFactory scopes, TimeProvider time, ILogger<BookingReminderService> logger) : BackgroundService
{
    public static readonly TimeSpan Interval = TimeSpan.FromMinutes(1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (await Turns.WaitAsync(time, Interval, stoppingToken))
        {
            try
            {
                await using var scope = scopes.CreateAsyncScope();
                await scope.ServiceProvider.GetRequiredService<BookingReminders>().QueueDueAsync(stoppingToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                BookingLog.ReminderPassFailed(logger, ex.GetType().Name);
            }
        }
    }
}
