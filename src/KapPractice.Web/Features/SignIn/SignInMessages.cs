namespace KapPractice.Web.Features.SignIn;

/// <summary>What the sign-in pages answer when a sign-in does not go through.</summary>
public static class SignInMessages
{
    /// <summary>
    /// The one answer to a wrong password, an unknown address, a locked address and a password alone while the
    /// account-wide brake is on, so the answer never tells whether an address has an account.
    /// </summary>
    public const string Failed = "That email and password do not match an account, or sign-ins are held back for a while after repeated failed attempts. If you have an authenticator app, try again with its code in the code field too, or sign in with a passkey.";
    public const string WrongCode = "That code is not right, or it was already used. Enter the current code from your authenticator app, or one of your unused recovery codes.";
    public const string CodeBrake = "Too many wrong codes were entered for this account, so codes are refused for a while. Sign in with a passkey, or try again later.";
    public const string ClientLocked = "Too many failed attempts from this address: try again in a while.";
    public const string PasskeyNeeded = "This account's second factor is a passkey: use “Sign in with a passkey”.";
    public const string PasskeyFailed = "That passkey was not accepted. Try again, or sign in with your password.";
    public const string PendingExpired = "That took too long, or the sign-in was not started here: enter your email and password again.";
}
