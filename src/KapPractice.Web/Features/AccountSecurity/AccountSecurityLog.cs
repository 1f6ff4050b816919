namespace KapPractice.Web.Features.AccountSecurity;

/// <summary>The Security pages' own log line; their changes are logged with SignInLog.SecurityChanged. Ids only.</summary>
internal static partial class AccountSecurityLog
{
    [LoggerMessage(Level = LogLevel.Warning, Message = "Passkey for {UserId} was not added: attestation failed")]
    public static partial void PasskeyNotAdded(this ILogger logger, string userId);
}
