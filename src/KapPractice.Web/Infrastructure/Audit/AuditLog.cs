using KapPractice.Web.Domain;
using KapPractice.Web.Infrastructure.Data;

namespace KapPractice.Web.Infrastructure.Audit;

/// <summary>The names of audited actions, as stored in <see cref="AuditEntry.Action"/>.</summary>
public static class AuditActions
{
    public const string SignedIn = "signed-in";
    public const string SignInFailed = "sign-in-failed";
    public const string LockedOut = "locked-out";
    public const string SignedOut = "signed-out";
    public const string AdminCreated = "admin-created";
    public const string Viewed = "viewed";
    public const string Exported = "exported";
    public const string StatusChanged = "status-changed";
    public const string NoteAdded = "note-added";
    public const string NotificationResent = "notification-resent";
    public const string MarkedSpam = "marked-spam";
    public const string MarkedNotSpam = "marked-not-spam";
    public const string Deleted = "deleted";
    public const string RetentionDeleted = "retention-deleted";
    public const string SecondFactorEnrolled = "second-factor-enrolled";
    public const string SecondFactorRemoved = "second-factor-removed";
    public const string SecondFactorReset = "second-factor-reset";
    public const string RecoveryCodeUsed = "recovery-code-used";
    public const string RecoveryCodesRenewed = "recovery-codes-renewed";
    public const string PasskeyAdded = "passkey-added";
    public const string PasskeyRenamed = "passkey-renamed";
    public const string PasskeyRemoved = "passkey-removed";
    public const string PasswordChanged = "password-changed";
    public const string SessionEnded = "session-ended";
    public const string SignedOutEverywhere = "signed-out-everywhere";
    public const string Reauthenticated = "reauthenticated";
    public const string ReplySent = "reply-sent";
    public const string ReplyResent = "reply-resent";
    public const string TemplateCreated = "template-created";
    public const string TemplateChanged = "template-changed";
    public const string TemplateDeleted = "template-deleted";
    public const string ReferralCreated = "referral-created";
    public const string ReferralChanged = "referral-changed";
    public const string ReferralDeleted = "referral-deleted";
    public const string BookingLinkSent = "booking-link-sent";
    public const string ConsultationBooked = "consultation-booked";
    public const string ConsultationRescheduled = "consultation-rescheduled";
    public const string ConsultationCancelled = "consultation-cancelled";
    public const string BookingHoursChanged = "booking-hours-changed";
    public const string BookingFeedReset = "booking-feed-reset";
    public const string BookingsViewed = "bookings-viewed";
    public const string Printed = "printed";
    public const string BackupCreated = "backup-created";
    public const string BackupFailed = "backup-failed";
    public const string KeyRotated = "key-rotated";
    public const string MailRead = "mail-read";
    public const string ContentSaved = "content-saved";
    public const string ContentPublished = "content-published";
    public const string ContentScheduled = "content-scheduled";
    public const string ContentUnpublished = "content-unpublished";
    public const string ContentDeleted = "content-deleted";
    public const string ContentRestored = "content-restored";
    public const string ContentImported = "content-imported";
    public const string ContentExported = "content-exported";
    public const string ImageUploaded = "image-uploaded";
    public const string ImageChanged = "image-changed";
    public const string ImageDeleted = "image-deleted";
    public const string TestEmailSent = "test-email-sent";
}

/// <summary>
/// The one audit of the site: what the practitioner did in the admin area and what the background jobs and
/// command-line verbs did to the data. Admin actions add their entry to the current unit of work, so the entry and
/// the change it records are saved together; jobs and verbs that change nothing else record theirs with
/// <see cref="RecordAsync"/>. Callers pass ids, action names and non-clinical details only: never inquiry content, and
/// never a password, code, key or recovery code.
/// </summary>
/// <remarks>Lives outside the features because backups, key rotation and the mail verbs write it too.</remarks>
public sealed class AuditLog(KapDbContext db, TimeProvider time)
{
    public const string UnknownActor = "(unknown account)";
    public const string RetentionActor = "retention";
    public const string BackupActor = "backup";
    public const string BackupCommandActor = "backup command";
    public const string RotateKeyActor = "rotate-key command";
    public const string ReadMailActor = "read-mail command";
    public const string ScheduleActor = "schedule";

    public AuditEntry Add(string actor, string action, int? inquiryId = null, string? detail = null)
    {
        ArgumentNullException.ThrowIfNull(actor);
        var entry = new AuditEntry
        {
            OccurredUtc = time.GetUtcNow().UtcDateTime,
            Actor = actor.Length > TextLimits.AccountName ? actor[..TextLimits.AccountName] : actor,
            Action = action,
            InquiryId = inquiryId,
            Detail = detail,
        };
        db.AuditEntries.Add(entry);
        return entry;
    }

    /// <summary>Records one entry in a unit of work of its own, for a job or verb outside a request.</summary>
    public static async Task RecordAsync(IServiceProvider services, string actor, string action, string detail, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(services);
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<KapDbContext>();
        var time = scope.ServiceProvider.GetRequiredService<TimeProvider>();
        new AuditLog(db, time).Add(actor, action, detail: detail);
        await db.SaveChangesAsync(cancellationToken);
    }
}
