namespace KapPractice.Web.Infrastructure;

/// <summary>Facts about the practice the site and its emails need.</summary>
public sealed class PracticeOptions
{
    public const string Section = "Practice";

    public string Name { get; set; } = "Leslie Portillo, LCAT, ATR-BC";

    /// <summary>Where inquiry notifications go.</summary>
    public string ContactEmail { get; set; } = "leslie@intuitivecreativeartstherapy.com";

    /// <summary>The public address of the site (for canonical links, the feed and links in emails); empty uses the request's own.</summary>
    public string? SiteUrl { get; set; }
}
