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
        var due = await db.Bookings.Include(b => b.Inquiry)
            .Where(b => b.State == BookingState.Active && b.ReminderQueuedUtc == null && b.StartUtc > now && b.StartUtc <= now + before)
            .ToListAsync(cancellationToken);
        foreach (var booking in due)
        {
            var row = outbox.NewMessage(OutboxKind.BookingReminderToClient, booking.Inquiry!.Email);
            row.InquiryId = booking.InquiryId;
            booking.OutboxMessages.Add(row);
            booking.ReminderQueuedUtc = now;
        }

        if (due.Count > 0)
        {
            await db.SaveChangesAsync(cancellationToken);
            signal.Nudge();
        }

        return due.Count;
    }
}

/// <summary>Looks for reminders due once a minute, on the injected clock.</summary>
public sealed class BookingReminderService(IServiceScopeFactory scopes, TimeProvider time, ILogger<BookingReminderService> logger) : BackgroundService
{
    public static readonly TimeSpan Interval = TimeSpan.FromMinutes(1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (await WaitAsync(time, Interval, stoppingToken))
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

    /// <summary>
    /// One delay per turn rather than a PeriodicTimer: a clock moved on by days (a test's fake clock, a machine
    /// waking from sleep) wakes it once, instead of firing once for every minute that passed.
    /// </summary>
    private static async Task<bool> WaitAsync(TimeProvider time, TimeSpan interval, CancellationToken stoppingToken)
    {
        try
        {
            await Task.Delay(interval, time, stoppingToken);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }
}
