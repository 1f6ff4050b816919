using System.Linq.Expressions;

namespace KapPractice.Web.Domain;

public enum ConsultationMode { Phone, Video }

/// <summary>Held: the call's time has come (set lazily when a link is checked), so the inquiry may be booked again.</summary>
public enum BookingState { Active, Cancelled, Held }

/// <summary>
/// A free consultation call booked through a private booking link. The slot is held by a unique index on
/// <see cref="StartUtc"/> among active bookings, so two clients can never both hold one time.
/// </summary>
/// <summary>Questions asked of bookings in more than one place, asked one way.</summary>
public static class BookingFilters
{
    /// <summary>
    /// "A call is still ahead": booked, not cancelled, and not yet started at <paramref name="nowUtc"/>. Deleting an
    /// inquiry, retention and a new booking link all ask this one question.
    /// </summary>
    public static Expression<Func<Booking, bool>> StillAhead(DateTime nowUtc) => b => b.State == BookingState.Active && b.StartUtc > nowUtc;
}

public sealed class Booking
{
    public int Id { get; set; }
    public int InquiryId { get; set; }
    public Inquiry? Inquiry { get; set; }
    /// <summary>The link it was booked through; its reschedule and cancel act on this booking.</summary>
    public int? LinkId { get; set; }
    public DateTime StartUtc { get; set; }
    public DateTime EndUtc { get; set; }
    public ConsultationMode Mode { get; set; }
    public BookingState State { get; set; } = BookingState.Active;
    /// <summary>The calendar event's UID, the same across reschedules and the cancellation.</summary>
    public required string Uid { get; set; }
    /// <summary>The calendar event's SEQUENCE, raised on each change so calendar apps take the newest.</summary>
    public int Sequence { get; set; }
    public DateTime CreatedUtc { get; set; }
    public DateTime ChangedUtc { get; set; }
    public DateTime? ReminderQueuedUtc { get; set; }
    /// <summary>What the practitioner wrote to the client when she cancelled (encrypted at rest).</summary>
    public string? CancelMessage { get; set; }
    public List<OutboxMessage> OutboxMessages { get; set; } = [];
}

/// <summary>
/// One private booking link sent to a client. The signed token names this row and its nonce; only the
/// newest link of an inquiry is honoured, and none after its booking was cancelled (<see cref="UsedUtc"/>).
/// </summary>
public sealed class BookingLink
{
    public int Id { get; set; }
    public int InquiryId { get; set; }
    public required string Nonce { get; set; }
    /// <summary>The site address the link was made for, so an email composed later links the same place.</summary>
    public required string BaseUrl { get; set; }
    public DateTime CreatedUtc { get; set; }
    public DateTime ExpiresUtc { get; set; }
    public DateTime? UsedUtc { get; set; }
    public List<OutboxMessage> OutboxMessages { get; set; } = [];
}

/// <summary>The practitioner's consultation hours as she saved them (one row); until then the configured defaults apply.</summary>
public sealed class BookingSettings
{
    public const int SingletonId = 1;

    public int Id { get; set; } = SingletonId;
    /// <summary>Weekly hours in the same form as Booking:DefaultHours ("Mon-Fri 10:00-16:00; Sat 10:00-12:00").</summary>
    public required string WeeklyHours { get; set; }
    public int SlotMinutes { get; set; }
    public int GapMinutes { get; set; }
    public int HorizonDays { get; set; }
    public int NoticeHours { get; set; }
    /// <summary>Days off as ISO dates separated by commas ("2026-12-24, 2026-12-25").</summary>
    public string DaysOff { get; set; } = "";
    /// <summary>SHA-256 of the calendar feed's secret; null when no feed has been made.</summary>
    public byte[]? FeedSecretHash { get; set; }
    public DateTime ChangedUtc { get; set; }
}
