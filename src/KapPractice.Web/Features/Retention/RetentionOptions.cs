using System.ComponentModel.DataAnnotations;

namespace KapPractice.Web.Features.Retention;

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
