using KapPractice.Web.Domain;
using KapPractice.Web.Infrastructure.Data;
using KapPractice.Web.Infrastructure.Email;
using Microsoft.EntityFrameworkCore;
using KapPractice.Web.Infrastructure.Data.Encryption;
using Microsoft.Extensions.Options;
using MimeKit.Utils;

namespace KapPractice.Web.Infrastructure.Outbox;

/// <summary>
/// Adds the emails an inquiry needs to the same unit of work as the inquiry, so one SaveChanges
/// stores both or neither.
/// </summary>
public sealed class OutboxWriter(
    KapDbContext db,
    IOptions<EmailOptions> emailOptions,
    IOptions<PracticeOptions> practiceOptions,
    TimeProvider time)
{
    public async Task AddMessagesForAsync(Inquiry inquiry, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(inquiry);
        if (inquiry.IsSuspectedSpam)
        {
            // Suspected spam is stored and shown in admin, never emailed (docs/practitioner-guide.md).
            return;
        }

        var now = time.GetUtcNow().UtcDateTime;
        inquiry.OutboxMessages.Add(NewMessage(OutboxKind.PractitionerNotification, practiceOptions.Value.ContactEmail, now));

        if (emailOptions.Value.SendClientAcknowledgement && !await AcknowledgedRecentlyAsync(inquiry.Email, now, cancellationToken))
        {
            inquiry.OutboxMessages.Add(NewMessage(OutboxKind.ClientAcknowledgement, inquiry.Email, now));
        }
    }

    /// <summary>
    /// Admin's "send again": a new notification row with a fresh Message-ID (mail services drop a second
    /// message with an ID they have already delivered), or null while one for the inquiry is still queued
    /// or being sent, which would reach the practitioner twice. Save, then <see cref="OutboxSignal.Nudge"/>.
    /// </summary>
    public async Task<OutboxMessage?> AddNotificationResendAsync(Inquiry inquiry, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(inquiry);
        var alreadyQueued = await db.OutboxMessages.AnyAsync(
            m => m.InquiryId == inquiry.Id && m.Kind == OutboxKind.PractitionerNotification && (m.State == OutboxState.Pending || m.State == OutboxState.Sending),
            cancellationToken);
        if (alreadyQueued)
        {
            return null;
        }

        var message = NewMessage(OutboxKind.PractitionerNotification, practiceOptions.Value.ContactEmail, time.GetUtcNow().UtcDateTime);
        inquiry.OutboxMessages.Add(message);
        return message;
    }

    /// <summary>At most one acknowledgement per address per day (found by the address's keyed hash: recipients are encrypted).</summary>
    private Task<bool> AcknowledgedRecentlyAsync(string email, DateTime now, CancellationToken cancellationToken) =>
        db.AnySentToSinceAsync(OutboxKind.ClientAcknowledgement, email, now.AddDays(-1), cancellationToken);

    /// <summary>A row ready to be added to the unit of work that causes it (due now, with its own Message-ID).</summary>
    public OutboxMessage NewMessage(OutboxKind kind, string recipient) => NewMessage(kind, recipient, time.GetUtcNow().UtcDateTime);

    public OutboxMessage NewMessage(OutboxKind kind, string recipient, DateTime now) => new()
    {
        Kind = kind,
        Recipient = recipient.Trim(),
        MessageId = MimeUtils.GenerateMessageId(DomainOf(emailOptions.Value.From)),
        CreatedUtc = now,
        NextAttemptUtc = now,
    };

    private static string DomainOf(string address) =>
        address.LastIndexOf('@') is var at and >= 0 ? address[(at + 1)..] : "kappractice.local";
}

/// <summary>Wakes the dispatcher when a message is queued, so mail leaves without waiting for the timer.</summary>
public sealed class OutboxSignal
{
    private readonly System.Threading.Channels.Channel<bool> _channel =
        System.Threading.Channels.Channel.CreateBounded<bool>(new System.Threading.Channels.BoundedChannelOptions(1)
        {
            FullMode = System.Threading.Channels.BoundedChannelFullMode.DropWrite,
        });

    public void Nudge() => _channel.Writer.TryWrite(true);

    public async Task WaitAsync(CancellationToken cancellationToken) =>
        await _channel.Reader.ReadAsync(cancellationToken);
}
