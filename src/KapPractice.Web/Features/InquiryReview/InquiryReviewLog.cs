namespace KapPractice.Web.Features.InquiryReview;

/// <summary>The inquiry review's log lines: ids only, never inquiry content.</summary>
internal static partial class InquiryReviewLog
{
    [LoggerMessage(Level = LogLevel.Information, Message = "Notification for inquiry {InquiryId} queued again")]
    public static partial void NotificationResent(this ILogger logger, int inquiryId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Inquiry {InquiryId} deleted")]
    public static partial void InquiryDeleted(this ILogger logger, int inquiryId);
}
