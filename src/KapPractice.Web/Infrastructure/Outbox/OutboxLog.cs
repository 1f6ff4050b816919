using KapPractice.Web.Domain;

namespace KapPractice.Web.Infrastructure.Outbox;

/// <summary>Every outbox log line: row ids, kinds, attempts and failure codes only, never an address, a name or content.</summary>
internal static partial class OutboxLog
{
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

    [LoggerMessage(8, LogLevel.Information, "Outbox {OutboxId} ({Kind}) no longer applies and was dropped")]
    public static partial void Dropped(ILogger logger, int outboxId, OutboxKind kind);
}
