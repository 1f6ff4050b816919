namespace KapPractice.Web.Features.Retention;

/// <summary>The retention sweep's log lines: counts only, never inquiry content.</summary>
internal static partial class RetentionLog
{
    [LoggerMessage(Level = LogLevel.Information, Message = "Retention deleted {Count} closed or suspected-spam inquiries older than {Days} days")]
    public static partial void RetentionDeleted(this ILogger logger, int count, int days);

    [LoggerMessage(Level = LogLevel.Information, Message = "Deleted {Count} pickup folder file(s) whose inquiry was deleted on another instance")]
    public static partial void OrphanedMailDeleted(this ILogger logger, int count);

    [LoggerMessage(Level = LogLevel.Error, Message = "Retention sweep failed")]
    public static partial void RetentionFailed(this ILogger logger, Exception exception);
}
