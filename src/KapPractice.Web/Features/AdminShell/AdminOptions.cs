using System.ComponentModel.DataAnnotations;

namespace KapPractice.Web.Features.AdminShell;

/// <summary>The admin session and sign-in limits.</summary>
public sealed class AdminOptions
{
    public const string Section = "Admin";

    /// <summary>Signed out after this long without a request (sliding).</summary>
    [Range(typeof(TimeSpan), "00:01:00", "1.00:00:00")]
    public TimeSpan IdleTimeout { get; set; } = TimeSpan.FromMinutes(30);

    /// <summary>Signed out this long after signing in, however active.</summary>
    [Range(typeof(TimeSpan), "00:01:00", "7.00:00:00")]
    public TimeSpan AbsoluteTimeout { get; set; } = TimeSpan.FromHours(8);

    /// <summary>Sign-in posts allowed per client address per window.</summary>
    [Range(1, 10_000)]
    public int SignInPermitLimit { get; set; } = 10;

    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan SignInWindow { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Failed passwords or codes for one account from one client address (IPv6: its /64) that lock that pair...</summary>
    [Range(1, 100)]
    public int MaxFailedAttempts { get; set; } = 5;

    /// <summary>...within this long, and until they are this old; other addresses are not affected.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan LockoutDuration { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>
    /// Failed passwords for one account from all addresses together that engage the account-wide brake: while
    /// engaged, a password alone neither signs in nor says whether it was right; the password with a code, or
    /// a passkey, still does. Failed codes have a brake of the same size, which only a passkey passes.
    /// </summary>
    [Range(1, 10_000)]
    public int AccountBrakeAttempts { get; set; } = 20;

    [Range(typeof(TimeSpan), "00:01:00", "7.00:00:00")]
    public TimeSpan AccountBrakeWindow { get; set; } = TimeSpan.FromHours(1);

    /// <summary>
    /// Changing a second factor, a passkey or the recovery codes, or signing out everywhere, needs her password or a
    /// code given this recently (at sign-in or on the confirm page); after that she is asked again first. At least a
    /// minute (time to click after confirming), at most an hour (longer would hardly ask at all).
    /// </summary>
    [Range(typeof(TimeSpan), "00:01:00", "01:00:00")]
    public TimeSpan ReauthenticateWithin { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>An admin without a second factor (authenticator app or passkey) sees only enrolment after the password.</summary>
    public bool RequireTwoFactor { get; set; } = true;
}
