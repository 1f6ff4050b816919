namespace KapPractice.Web.Infrastructure.Email;

/// <summary>The transports' and pickup folder's log lines: settings and outbox row ids only, never an address, a name or content.</summary>
internal static partial class EmailLog
{
    [LoggerMessage(1, LogLevel.Information, "No Email:Smtp:Host is set: email is written as .eml files to {PickupFolder}")]
    public static partial void WritingToPickupFolder(ILogger logger, string pickupFolder);

    [LoggerMessage(3, LogLevel.Warning, "No Email:Smtp:Host is set and Email:AllowPickupFolder is true: email is written to {PickupFolder}, each file sealed with the data key (read one with the read-mail command). Set Email:Smtp:Host to send it")]
    public static partial void WritingSealedToPickupFolder(ILogger logger, string pickupFolder);

    [LoggerMessage(4, LogLevel.Information, "Sealed {Files} plain .eml file(s) an earlier version left in the pickup folder with the data key")]
    public static partial void SealedClearPickupFiles(ILogger logger, int files);

    [LoggerMessage(5, LogLevel.Warning, "The pickup folder file {FileName} could not be sealed ({ErrorType}); trying again at the next start")]
    public static partial void PickupFileNotSealed(ILogger logger, string fileName, string errorType);

    [LoggerMessage(2, LogLevel.Information, "Email is sent through {SmtpHost}:{SmtpPort} ({SmtpSecurity})")]
    public static partial void SendingThroughSmtp(ILogger logger, string? smtpHost, int smtpPort, SmtpSecurity smtpSecurity);

    [LoggerMessage(8, LogLevel.Warning, "Practice:SiteUrl is not set: notification emails cannot link to the admin area and tell the reader to sign in instead. Set it to the site's public address")]
    public static partial void NoSiteUrlForLinks(ILogger logger);

    [LoggerMessage(9, LogLevel.Error, "The pickup folder copy of outbox {OutboxId} could not be deleted ({ErrorType}); delete it by hand")]
    public static partial void PickupFileNotDeleted(ILogger logger, int outboxId, string errorType);
}
