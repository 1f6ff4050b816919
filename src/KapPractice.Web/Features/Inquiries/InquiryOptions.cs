namespace KapPractice.Web.Features.Inquiries;

/// <summary>The spam settings (SPEC §8): a form sent back sooner than this after it was shown is suspected spam.</summary>
public sealed class SpamOptions
{
    public const string Section = "Spam";

    public TimeSpan MinimumFillTime { get; set; } = TimeSpan.FromSeconds(3);
}

/// <summary>How many inquiry posts one client address may make per window (SPEC §8).</summary>
public sealed class InquiryRateLimitOptions
{
    public const string Section = "RateLimiting";

    public int InquiryPermitLimit { get; set; } = 5;

    public TimeSpan InquiryWindow { get; set; } = TimeSpan.FromMinutes(10);
}
