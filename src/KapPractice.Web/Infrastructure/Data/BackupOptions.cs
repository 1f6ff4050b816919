using System.ComponentModel.DataAnnotations;
using System.Globalization;

namespace KapPractice.Web.Infrastructure.Data;

/// <summary>Scheduled backups of the database (Backup:Directory is resolved by <see cref="DataPaths"/>).</summary>
public sealed class BackupOptions : IValidatableObject
{
    public const string Section = "Backup";

    /// <summary>
    /// The longest wait a .NET timer accepts (<c>uint.MaxValue - 1</c> milliseconds, about 49.7 days): <see cref="BackupService"/>
    /// waits one interval with Task.Delay, which throws for anything longer, and the service would then retry every
    /// few minutes instead of waiting.
    /// </summary>
    public static readonly TimeSpan MaxInterval = TimeSpan.FromMilliseconds(uint.MaxValue - 1);

    /// <summary>How often a backup is taken; 00:00:00 turns scheduled backups off.</summary>
    public TimeSpan Interval { get; set; } = TimeSpan.FromDays(1);

    /// <summary>How many scheduled backups are kept; older ones are deleted.</summary>
    [Range(1, 10_000)]
    public int Keep { get; set; } = 14;

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (Interval < TimeSpan.Zero || Interval > MaxInterval)
        {
            yield return new ValidationResult(
                $"Backup:Interval must be from 00:00:00 (scheduled backups off) to {MaxInterval.ToString("c", CultureInfo.InvariantCulture)} (about 49 days, the longest a timer can wait); it is {Interval.ToString("c", CultureInfo.InvariantCulture)}.",
                [nameof(Interval)]);
        }
    }
}
