namespace KapPractice.Web.Features.SignIn;

/// <summary>The sign-in's log lines, and those of changes to what protects the account: ids only, never typed credentials.</summary>
internal static partial class SignInLog
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

    /// <summary>A proof on the confirm page, or a change on the Security pages (AccountSecurity).</summary>
    [LoggerMessage(Level = LogLevel.Information, Message = "Admin {UserId}: {Action}")]
    public static partial void SecurityChanged(this ILogger logger, string userId, string action);
}
