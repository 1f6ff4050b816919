using KapPractice.Web.Domain;
using KapPractice.Web.Infrastructure.Audit;
using KapPractice.Web.Infrastructure;
using KapPractice.Web.Infrastructure.Data;
using KapPractice.Web.Infrastructure.Outbox;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace KapPractice.Web.Features.Booking;

/// <summary>
/// What a booking, change or cancel came to. Changed: the request did not carry the booking's current version (another
/// change came first, or it carried none), so nothing was done. ChangeLimit: the link has made all the changes it may.
/// </summary>
public enum BookingOutcome { Done, Taken, NotOffered, AlreadyBooked, Changed, ChangeLimit }

/// <summary>
/// Books, moves and cancels consultations. Each change is one SaveChanges with its calendar emails (through the
/// outbox) and its audit entry; the unique index on active bookings' start time decides a race for one slot.
/// </summary>
public sealed class BookingService(
    KapDbContext db,
    BookingSchedule schedule,
    OutboxWriter outbox,
    OutboxSignal signal,
    AuditLog audit,
    IOptions<PracticeOptions> practice,
    IOptions<BookingOptions> options,
    TimeProvider time,
    ILogger<BookingService> logger)
{
    /// <summary>Who the audit trail names for what a client does through a booking link.</summary>
    public const string ClientActor = "client (booking link)";

    /// <summary><c>Booking:ChangesPerLink</c>: how many times a client may move a booked call through her link.</summary>
    public int ChangesPerLink => options.Value.ChangesPerLink;

    /// <summary>
    /// Whether the client may still move this call. Only a client's change raises an active booking's SEQUENCE (a
    /// cancel raises it too, but ends the booking), and a booking keeps the link it was made through (a link sent
    /// again while it is booked is the same one), so the SEQUENCE counts the changes made through that link.
    /// </summary>
    public bool MayChange(Domain.Booking booking)
    {
        ArgumentNullException.ThrowIfNull(booking);
        return booking.Sequence < ChangesPerLink;
    }

    public async Task<(BookingOutcome Outcome, Domain.Booking? Booking)> BookAsync(LinkCheck check, DateTime startUtc, ConsultationMode mode, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(check);
        var inquiry = check.Inquiry!;
        if (check.Booking is not null)
        {
            return (BookingOutcome.AlreadyBooked, check.Booking);
        }

        var slot = (await schedule.OpenSlotsAsync(null, cancellationToken)).FirstOrDefault(s => s.StartUtc == startUtc);
        if (slot is null)
        {
            return (await IsTakenAsync(startUtc, null, cancellationToken) ? BookingOutcome.Taken : BookingOutcome.NotOffered, null);
        }

        var now = time.GetUtcNow().UtcDateTime;
        var booking = new Domain.Booking
        {
            InquiryId = inquiry.Id,
            LinkId = check.Link!.Id,
            StartUtc = slot.StartUtc,
            EndUtc = slot.EndUtc,
            Mode = mode,
            Uid = $"{Guid.NewGuid():N}@kappractice",
            CreatedUtc = now,
            ChangedUtc = now,
        };
        db.Bookings.Add(booking);
        if (inquiry.Status != InquiryStatus.ConsultationBooked)
        {
            inquiry.Status = InquiryStatus.ConsultationBooked;
            inquiry.StatusChangedUtc = now;
            audit.Add(ClientActor, AuditActions.StatusChanged, inquiry.Id, $"status: {InquiryStatus.ConsultationBooked}");
        }

        AddMessages(booking, inquiry, OutboxKind.BookingInviteToClient, OutboxKind.BookingInviteToPractice);
        audit.Add(ClientActor, AuditActions.ConsultationBooked, inquiry.Id, $"mode: {mode}");
        try
        {
            if (!await TrySaveAsync(cancellationToken))
            {
                return (BookingOutcome.Taken, null);
            }
        }
        catch (Exception ex) when (ex is DbUpdateConcurrencyException || (ex is DbUpdateException update && update.IsForeignKeyViolation()))
        {
            // The inquiry was deleted (or changed) while this was being saved: the page checks the link again.
            db.ChangeTracker.Clear();
            return (BookingOutcome.Changed, null);
        }

        BookingLog.Booked(logger, booking.Id, inquiry.Id);
        signal.Nudge();
        return (BookingOutcome.Done, booking);
    }

    /// <param name="seenSequence">
    /// The version of the booking the client's page showed. A newer one means another change came first; none (not
    /// posted, or unreadable) is refused the same way, so no change is ever made without the check.
    /// </param>
    public async Task<BookingOutcome> RescheduleAsync(Domain.Booking booking, Inquiry inquiry, DateTime startUtc, ConsultationMode mode, int? seenSequence, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(booking);
        ArgumentNullException.ThrowIfNull(inquiry);
        // A second press of the time already booked (a double click, even on the first page, which posts no version):
        // it asks for what already is, so nothing changes, no new version and no emails.
        if (startUtc == booking.StartUtc && mode == booking.Mode)
        {
            return BookingOutcome.Done;
        }

        if (seenSequence != booking.Sequence)
        {
            return BookingOutcome.Changed;
        }

        if (!MayChange(booking))
        {
            return BookingOutcome.ChangeLimit;
        }

        var slot = (await schedule.OpenSlotsAsync(booking.Id, cancellationToken)).FirstOrDefault(s => s.StartUtc == startUtc);
        if (slot is null)
        {
            return await IsTakenAsync(startUtc, booking.Id, cancellationToken) ? BookingOutcome.Taken : BookingOutcome.NotOffered;
        }

        await DropUnsentAsync(booking, cancellationToken);
        booking.StartUtc = slot.StartUtc;
        booking.EndUtc = slot.EndUtc;
        booking.Mode = mode;
        booking.Sequence++;
        booking.ChangedUtc = time.GetUtcNow().UtcDateTime;
        booking.ReminderQueuedUtc = null;
        AddMessages(booking, inquiry, OutboxKind.BookingInviteToClient, OutboxKind.BookingInviteToPractice);
        audit.Add(ClientActor, AuditActions.ConsultationRescheduled, inquiry.Id, $"booking: {booking.Id}; sequence: {booking.Sequence}");
        try
        {
            if (!await TrySaveAsync(cancellationToken))
            {
                return BookingOutcome.Taken;
            }
        }
        catch (DbUpdateConcurrencyException)
        {
            db.ChangeTracker.Clear();
            BookingLog.ChangedMeanwhile(logger, booking.Id);
            return BookingOutcome.Changed;
        }

        signal.Nudge();
        return BookingOutcome.Done;
    }

    /// <summary>
    /// Cancels a booking (by the client or the practitioner, with her message to the client); its link is used up.
    /// False, with nothing saved, when the booking was changed meanwhile, or the page showed an older version or none.
    /// </summary>
    public async Task<bool> CancelAsync(Domain.Booking booking, Inquiry inquiry, string actor, string? message, int? seenSequence, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(booking);
        ArgumentNullException.ThrowIfNull(inquiry);
        if (booking.State != BookingState.Active || seenSequence != booking.Sequence)
        {
            return false;
        }

        var now = time.GetUtcNow().UtcDateTime;
        booking.State = BookingState.Cancelled;
        booking.Sequence++;
        booking.ChangedUtc = now;
        booking.CancelMessage = string.IsNullOrWhiteSpace(message) ? null : message.Trim();
        if (booking.LinkId is { } linkId && await db.BookingLinks.FindAsync([linkId], cancellationToken) is { } link)
        {
            link.UsedUtc ??= now;
        }

        await DropUnsentAsync(booking, cancellationToken);
        AddMessages(booking, inquiry, OutboxKind.BookingCancelToClient, OutboxKind.BookingCancelToPractice);
        audit.Add(actor, AuditActions.ConsultationCancelled, inquiry.Id, $"booking: {booking.Id}; message: {(booking.CancelMessage is null ? "none" : "yes")}");
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateConcurrencyException)
        {
            db.ChangeTracker.Clear();
            BookingLog.ChangedMeanwhile(logger, booking.Id);
            return false;
        }

        signal.Nudge();
        return true;
    }

    /// <summary>Invitations and reminders not yet sent are about the version being replaced: they go with this change's SaveChanges.</summary>
    private async Task DropUnsentAsync(Domain.Booking booking, CancellationToken cancellationToken)
    {
        var unsent = await db.OutboxMessages
            .Where(m => m.BookingId == booking.Id && m.State == OutboxState.Pending
                && (m.Kind == OutboxKind.BookingInviteToClient || m.Kind == OutboxKind.BookingInviteToPractice || m.Kind == OutboxKind.BookingReminderToClient))
            .ToListAsync(cancellationToken);
        db.OutboxMessages.RemoveRange(unsent);
    }

    private void AddMessages(Domain.Booking booking, Inquiry inquiry, OutboxKind toClient, OutboxKind toPractice)
    {
        var client = outbox.NewMessage(toClient, inquiry.Email);
        client.InquiryId = inquiry.Id;
        var practitioner = outbox.NewMessage(toPractice, practice.Value.ContactEmail);
        practitioner.InquiryId = inquiry.Id;
        // Through the navigation, so a new booking's rows get its id in the same SaveChanges.
        booking.OutboxMessages.Add(client);
        booking.OutboxMessages.Add(practitioner);
    }

    private Task<bool> IsTakenAsync(DateTime startUtc, int? ignoreBookingId, CancellationToken cancellationToken) =>
        db.Bookings.AnyAsync(b => b.State == BookingState.Active && b.StartUtc == startUtc && b.Id != ignoreBookingId, cancellationToken);

    /// <summary>False when another booking took the time first (the unique index refused this one); nothing of it is kept.</summary>
    private async Task<bool> TrySaveAsync(CancellationToken cancellationToken)
    {
        try
        {
            await db.SaveChangesAsync(cancellationToken);
            return true;
        }
        catch (DbUpdateException ex) when (ex.IsUniqueViolation())
        {
            db.ChangeTracker.Clear();
            BookingLog.SlotRace(logger);
            return false;
        }
    }
}

internal static partial class BookingLog
{
    [LoggerMessage(1301, LogLevel.Information, "Consultation booked: booking {BookingId}, inquiry {InquiryId}")]
    public static partial void Booked(ILogger logger, int bookingId, int inquiryId);

    [LoggerMessage(1302, LogLevel.Information, "A booking lost the race for its slot to another; the client is offered the refreshed list")]
    public static partial void SlotRace(ILogger logger);

    [LoggerMessage(1303, LogLevel.Warning, "Booking reminders pass failed ({ErrorType}); trying again at the next tick")]
    public static partial void ReminderPassFailed(ILogger logger, string errorType);

    [LoggerMessage(1304, LogLevel.Information, "Booking {BookingId} was changed by another request first; this change was refused")]
    public static partial void ChangedMeanwhile(ILogger logger, int bookingId);
}
