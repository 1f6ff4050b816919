using KapPractice.Web.Domain;
using KapPractice.Web.Infrastructure;
using KapPractice.Web.Infrastructure.Data;
using KapPractice.Web.Infrastructure.Email;
using KapPractice.Web.Infrastructure.Outbox;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using MimeKit;

namespace KapPractice.Web.Features.Booking;

/// <summary>Loads the booking and its link at send time and composes the booking emails (<see cref="BookingEmails"/>).</summary>
public sealed class BookingMessageComposer(
    IServiceScopeFactory scopes,
    IOptions<EmailOptions> email,
    IOptions<PracticeOptions> practice,
    IOptions<BookingOptions> booking,
    PracticeClock clock) : IOutboxComposer
{
    public bool Composes(OutboxKind kind) => kind is OutboxKind.BookingLinkToClient or OutboxKind.BookingInviteToClient or OutboxKind.BookingInviteToPractice
        or OutboxKind.BookingCancelToClient or OutboxKind.BookingCancelToPractice or OutboxKind.BookingReminderToClient;

    public async Task<MimeMessage> ComposeAsync(KapDbContext db, OutboxMessage row, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(row);
        var consultation = row.BookingId is { } bookingId ? await db.Bookings.AsNoTracking().SingleOrDefaultAsync(b => b.Id == bookingId, cancellationToken) : null;
        // A backstop for rows that outlived a cancel (the cancel deletes its booking's unsent ones): an invitation
        // or reminder composed now would bring a cancelled call back.
        if (consultation is { State: BookingState.Cancelled } && row.Kind is OutboxKind.BookingInviteToClient or OutboxKind.BookingInviteToPractice or OutboxKind.BookingReminderToClient)
        {
            throw new BookingNoLongerAppliesException(row.Id);
        }

        var linkId = row.BookingLinkId ?? consultation?.LinkId;
        var link = linkId is { } id ? await db.BookingLinks.AsNoTracking().SingleOrDefaultAsync(l => l.Id == id, cancellationToken) : null;
        Uri? url = null;
        if (link is not null)
        {
            await using var scope = scopes.CreateAsyncScope();
            url = scope.ServiceProvider.GetRequiredService<BookingLinks>().UrlFor(link, consultation?.StartUtc);
        }

        var inquiryId = consultation?.InquiryId ?? link?.InquiryId ?? row.InquiryId ?? 0;
        var context = new BookingMailContext(consultation, inquiryId, url, link?.ExpiresUtc);
        return BookingEmails.Compose(row, context, email.Value, practice.Value, booking.Value, clock, now);
    }
}

/// <summary>An invitation or reminder about a consultation that was cancelled before it went out: it no longer applies.</summary>
public sealed class BookingNoLongerAppliesException(int rowId) : MessageNoLongerNeededException($"Outbox row {rowId} is about a cancelled consultation: it no longer applies.");
