using System.ComponentModel.DataAnnotations;

namespace KapPractice.Web.Features.Content;

/// <summary>Her pages and articles: how fast a change reaches every instance, and how large an uploaded image may be.</summary>
public sealed class ContentOptions
{
    public const string Section = "Content";

    /// <summary>How often each instance looks whether another one published a change (one small query).</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "00:10:00")]
    public TimeSpan RefreshInterval { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>The largest image file she may upload, in bytes.</summary>
    [Range(1024, 100 * 1024 * 1024)]
    public long MaxImageBytes { get; set; } = 15 * 1024 * 1024;
}
