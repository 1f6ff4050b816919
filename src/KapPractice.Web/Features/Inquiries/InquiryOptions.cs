namespace KapPractice.Web.Features.Inquiries;

/// <summary>The spam settings (docs/operations.md): a form sent back sooner or later than these after it was shown is suspected spam.</summary>
public sealed class SpamOptions
{
    public const string Section = "Spam";

    public TimeSpan MinimumFillTime { get; set; } = TimeSpan.FromSeconds(3);

    /// <summary>How long one load of the form stays good; also how long its token is remembered once sent.</summary>
    public TimeSpan MaximumFillTime { get; set; } = TimeSpan.FromDays(1);
}

/// <summary>How many inquiries one client address may send per window (docs/configuration.md), and the looser cap on every post.</summary>
public sealed class InquiryRateLimitOptions
{
    public const string Section = "RateLimiting";

    /// <summary>Inquiries stored per client address per window; posts that fail validation do not count.</summary>
    public int InquiryPermitLimit { get; set; } = 5;

    public TimeSpan InquiryWindow { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>Posts of any kind per client address per window: a flood guard well above what a person correcting mistakes needs.</summary>
    public int InquiryFloodLimit { get; set; } = 50;
}
