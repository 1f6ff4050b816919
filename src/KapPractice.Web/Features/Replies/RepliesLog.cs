namespace KapPractice.Web.Features.Replies;

internal static partial class RepliesLog
{
    [LoggerMessage(Level = LogLevel.Information, Message = "Reply {ReplyId} to inquiry {InquiryId} queued as outbox message {OutboxId}")]
    public static partial void ReplyQueued(ILogger logger, int inquiryId, int replyId, int outboxId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Reply {ReplyId} to inquiry {InquiryId} queued again as outbox message {OutboxId}")]
    public static partial void ReplyResent(ILogger logger, int inquiryId, int replyId, int outboxId);
}
