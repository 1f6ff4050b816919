using KapPractice.Web.Domain;

namespace KapPractice.Web.Infrastructure.Email;

/// <summary>Every email log line: outbox row ids, kinds and failure codes only, never an address, a name or content.</summary>
internal static partial class EmailLog
{
    [LoggerMessage(1, LogLevel.Information, "No Email:Smtp:Host is set: email is written as .eml files to {PickupFolder}")]
    public static partial void WritingToPickupFolder(ILogger logger, string pickupFolder);

    [LoggerMessage(2, LogLevel.Information, "Email is sent through {SmtpHost}:{SmtpPort} ({SmtpSecurity})")]
    public static partial void SendingThroughSmtp(ILogger logger, string? smtpHost, int smtpPort, SmtpSecurity smtpSecurity);

    [LoggerMessage(3, LogLevel.Warning, "Outbox recovery: {Resumed} interrupted message(s) queued again, {Exhausted} marked failed")]
    public static partial void Recovered(ILogger logger, int resumed, int exhausted);

    [LoggerMessage(4, LogLevel.Information, "Outbox {OutboxId} ({Kind}) sent on attempt {Attempt}")]
    public static partial void Sent(ILogger logger, int outboxId, OutboxKind kind, int attempt);

    [LoggerMessage(5, LogLevel.Warning, "Outbox {OutboxId} ({Kind}) attempt {Attempt} failed ({FailureCode}); next try at {NextAttemptUtc:O}")]
    public static partial void WillRetry(ILogger logger, int outboxId, OutboxKind kind, int attempt, string? failureCode, DateTime nextAttemptUtc);

    [LoggerMessage(6, LogLevel.Error, "Outbox {OutboxId} ({Kind}) failed for good on attempt {Attempt} ({FailureCode})")]
    public static partial void FailedForGood(ILogger logger, int outboxId, OutboxKind kind, int attempt, string? failureCode);

    [LoggerMessage(7, LogLevel.Error, "Outbox pass failed ({ErrorType}); trying again later")]
    public static partial void PassFailed(ILogger logger, string errorType);

    [LoggerMessage(8, LogLevel.Warning, "Practice:SiteUrl is not set: notification emails cannot link to the admin area and tell the reader to sign in instead. Set it to the site's public address")]
    public static partial void NoSiteUrlForLinks(ILogger logger);

    [LoggerMessage(9, LogLevel.Error, "The pickup folder copy of outbox {OutboxId} could not be deleted ({ErrorType}); delete it by hand")]
    public static partial void PickupFileNotDeleted(ILogger logger, int outboxId, string errorType);
}
