namespace KapPractice.Web.Domain;

public enum OutboxKind
{
    PractitionerNotification,
    ClientAcknowledgement,
    ClientReply,
    PractitionerDigest,
    UrgentReminder,
    BookingLinkToClient,
    BookingInviteToClient,
    BookingInviteToPractice,
    BookingCancelToClient,
    BookingCancelToPractice,
    BookingReminderToClient,
    /// <summary>The go-live checklist's test email to the practice's own address; it belongs to no inquiry and holds no client data.</summary>
    TestEmail,
}

public enum OutboxState { Pending, Sending, Sent, Failed }

/// <summary>
/// An email that must be sent. Saved in the same SaveChanges as what causes it (an inquiry, a reply);
/// the message itself is composed when it is sent. Most belong to an inquiry and go with it when it is
/// deleted; a few (the practitioner's daily digest) belong to none.
/// </summary>
public sealed class OutboxMessage
{
    public int Id { get; set; }
    public int? InquiryId { get; set; }
    public Inquiry? Inquiry { get; set; }
    /// <summary>The practitioner's reply this row sends (<see cref="OutboxKind.ClientReply"/>); it goes when the reply does.</summary>
    public int? ReplyId { get; set; }
    public InquiryReply? Reply { get; set; }
    /// <summary>The booking an invitation, cancellation or reminder is about.</summary>
    public int? BookingId { get; set; }
    /// <summary>The booking link a "choose a time" email carries.</summary>
    public int? BookingLinkId { get; set; }
    public OutboxKind Kind { get; set; }
    public required string Recipient { get; set; }
    /// <summary>Stable across retries, so a receiver can recognise a duplicate after an unclear failure.</summary>
    public required string MessageId { get; set; }
    public OutboxState State { get; set; } = OutboxState.Pending;
    public int Attempts { get; set; }
    public DateTime CreatedUtc { get; set; }
    public DateTime NextAttemptUtc { get; set; }
    public DateTime? LastAttemptUtc { get; set; }
    public DateTime? SentUtc { get; set; }
    public string? LastError { get; set; }
}
