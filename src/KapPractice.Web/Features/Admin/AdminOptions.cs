using System.ComponentModel.DataAnnotations;

namespace KapPractice.Web.Features.Admin;

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

    /// <summary>Failed passwords before the account is locked.</summary>
    [Range(1, 100)]
    public int MaxFailedAttempts { get; set; } = 5;

    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan LockoutDuration { get; set; } = TimeSpan.FromMinutes(15);
}

/// <summary>How long closed inquiries and suspected spam are kept.</summary>
public sealed class RetentionOptions
{
    public const string Section = "Retention";

    /// <summary>Closed inquiries whose status changed, and suspected spam that arrived, longer ago than this are deleted; 0 keeps them forever.</summary>
    [Range(0, 36_500)]
    public int DeleteClosedAfterDays { get; set; } = 365;

    /// <summary>How often the retention sweep runs.</summary>
    [Range(typeof(TimeSpan), "00:01:00", "7.00:00:00")]
    public TimeSpan SweepInterval { get; set; } = TimeSpan.FromHours(1);
}
