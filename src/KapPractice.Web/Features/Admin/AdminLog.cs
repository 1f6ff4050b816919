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
}
