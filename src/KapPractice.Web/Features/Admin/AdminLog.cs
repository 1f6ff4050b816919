namespace KapPractice.Web.Features.Admin;

/// <summary>The admin area's log lines: ids and counts only, never inquiry content or typed credentials.</summary>
internal static partial class AdminLog
{
    [LoggerMessage(Level = LogLevel.Information, Message = "Admin {UserId} signed in")]
    public static partial void SignedIn(this ILogger logger, string userId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Admin sign-in failed for an unknown account")]
    public static partial void SignInUnknownAccount(this ILogger logger);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Admin sign-in failed for {UserId} (locked out: {LockedOut})")]
    public static partial void SignInFailed(this ILogger logger, string userId, bool lockedOut);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Admin sign-in refused for {UserId}: {Reason}")]
    public static partial void SignInRefused(this ILogger logger, string userId, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Second-factor code refused for {UserId}")]
    public static partial void SecondFactorFailed(this ILogger logger, string userId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Passkey sign-in failed")]
    public static partial void PasskeySignInFailed(this ILogger logger);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Passkey for {UserId} was not added: attestation failed")]
    public static partial void PasskeyNotAdded(this ILogger logger, string userId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Admin {UserId}: {Action}")]
    public static partial void SecurityChanged(this ILogger logger, string userId, string action);

    [LoggerMessage(Level = LogLevel.Information, Message = "Notification for inquiry {InquiryId} queued again")]
    public static partial void NotificationResent(this ILogger logger, int inquiryId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Inquiry {InquiryId} deleted")]
    public static partial void InquiryDeleted(this ILogger logger, int inquiryId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Retention deleted {Count} closed or suspected-spam inquiries older than {Days} days")]
    public static partial void RetentionDeleted(this ILogger logger, int count, int days);

    [LoggerMessage(Level = LogLevel.Information, Message = "Deleted {Count} pickup folder file(s) whose inquiry was deleted on another instance")]
    public static partial void OrphanedMailDeleted(this ILogger logger, int count);

    [LoggerMessage(Level = LogLevel.Error, Message = "Retention sweep failed")]
    public static partial void RetentionFailed(this ILogger logger, Exception exception);
}
