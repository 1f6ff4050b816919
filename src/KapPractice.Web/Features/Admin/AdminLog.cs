namespace KapPractice.Web.Features.Admin;

/// <summary>The admin area's log lines: ids and counts only, never inquiry content or typed credentials.</summary>
internal static partial class AdminLog
{
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
