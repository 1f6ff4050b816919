using System.Globalization;
using Microsoft.Extensions.Options;

namespace KapPractice.Web.Features.FollowUp;

/// <summary>The promised response time, the practitioner's daily digest and the urgent reminder (docs/practitioner-guide.md).</summary>
public sealed class FollowUpOptions
{
    public const string Section = "FollowUp";
    public const int MinBusinessDays = 1;
    public const int MaxBusinessDays = 10;
    public const string DigestTimeFormat = "HH:mm";

    /// <summary>The promise on the form and the confirmation page, and when a New inquiry counts as overdue.</summary>
    public int RespondWithinBusinessDays { get; set; } = 2;

    /// <summary>The local time (Practice:TimeZone) of the daily digest, as HH:mm.</summary>
    public string DigestTime { get; set; } = "09:00";

    /// <summary>An urgent inquiry nobody has opened this long after it arrived gets one reminder.</summary>
    public TimeSpan UrgentRemindAfter { get; set; } = TimeSpan.FromHours(1);

    /// <summary><see cref="DigestTime"/> read as a time of day; valid once the options have passed validation.</summary>
    public TimeOnly DigestTimeOfDay => ParseDigestTime(DigestTime) ?? throw new InvalidOperationException($"FollowUp:DigestTime '{DigestTime}' is not a time of day.");

    internal static TimeOnly? ParseDigestTime(string? value) =>
        TimeOnly.TryParseExact(value?.Trim(), DigestTimeFormat, CultureInfo.InvariantCulture, DateTimeStyles.None, out var time) ? time : null;
}

/// <summary>Checked at start-up, each message naming its setting.</summary>
public sealed class FollowUpOptionsValidation : IValidateOptions<FollowUpOptions>
{
    public static readonly TimeSpan MaxUrgentRemindAfter = TimeSpan.FromDays(1);

    public ValidateOptionsResult Validate(string? name, FollowUpOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        if (options.RespondWithinBusinessDays is < FollowUpOptions.MinBusinessDays or > FollowUpOptions.MaxBusinessDays)
        {
            failures.Add($"FollowUp:RespondWithinBusinessDays must be from {FollowUpOptions.MinBusinessDays} to {FollowUpOptions.MaxBusinessDays}; it is {options.RespondWithinBusinessDays}.");
        }

        if (FollowUpOptions.ParseDigestTime(options.DigestTime) is null)
        {
            failures.Add($"FollowUp:DigestTime must be a time of day as HH:mm (24-hour), such as 09:00; it is '{options.DigestTime}'.");
        }

        if (options.UrgentRemindAfter <= TimeSpan.Zero || options.UrgentRemindAfter > MaxUrgentRemindAfter)
        {
            failures.Add($"FollowUp:UrgentRemindAfter must be longer than zero and at most a day, such as 01:00:00; it is {options.UrgentRemindAfter}.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
