using Microsoft.Extensions.Options;

namespace KapPractice.Web.Infrastructure;

/// <summary>Facts about the practice the site and its emails need.</summary>
public sealed class PracticeOptions
{
    public const string Section = "Practice";

    public string Name { get; set; } = "Leslie Portillo, LCAT, ATR-BC";

    /// <summary>How a sentence names the practitioner ("Leslie replies within 2 business days"); empty: the first word of <see cref="Name"/>.</summary>
    public string? ShortName { get; set; }

    /// <summary><see cref="ShortName"/>, or the first word of <see cref="Name"/> without its comma.</summary>
    public string FirstName => !string.IsNullOrWhiteSpace(ShortName) ? ShortName.Trim()
        : Name.Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).FirstOrDefault()?.TrimEnd(',') ?? Name;

    /// <summary>Where inquiry notifications go.</summary>
    public string ContactEmail { get; set; } = "leslie@intuitivecreativeartstherapy.com";

    /// <summary>The public address of the site (for canonical links, the feed and links in emails); empty uses the request's own.</summary>
    public string? SiteUrl { get; set; }

    /// <summary>The IANA zone the practice works in; every time a person reads is shown in it (storage stays UTC).</summary>
    public string TimeZone { get; set; } = "America/New_York";

    internal static TimeZoneInfo? FindZone(string? id) =>
        !string.IsNullOrWhiteSpace(id) && TimeZoneInfo.TryFindSystemTimeZoneById(id.Trim(), out var zone) ? zone : null;
}

/// <summary>Practice:TimeZone must be a known zone; Practice:SiteUrl, when set, must be an absolute http(s) address: it becomes canonical links and the links in emails.</summary>
public sealed class PracticeOptionsValidation : IValidateOptions<PracticeOptions>
{
    public ValidateOptionsResult Validate(string? name, PracticeOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (PracticeOptions.FindZone(options.TimeZone) is null)
        {
            return ValidateOptionsResult.Fail($"Practice:TimeZone must be a time zone such as America/New_York; '{options.TimeZone}' is not known on this machine.");
        }

        if (string.IsNullOrWhiteSpace(options.SiteUrl))
        {
            return ValidateOptionsResult.Success;
        }

        return Uri.TryCreate(options.SiteUrl.Trim(), UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttps || uri.Scheme == Uri.UriSchemeHttp)
            && string.IsNullOrEmpty(uri.Query) && string.IsNullOrEmpty(uri.Fragment)
            ? ValidateOptionsResult.Success
            : ValidateOptionsResult.Fail($"Practice:SiteUrl must be an absolute http or https address such as https://www.example.org, or empty; it is '{options.SiteUrl}'.");
    }
}
