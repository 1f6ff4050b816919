using Microsoft.Extensions.Options;

namespace KapPractice.Web.Features.Booking;

/// <summary>Booking settings (docs/configuration.md); the practitioner's own hours, once saved, replace <see cref="DefaultHours"/>.</summary>
public sealed class BookingOptions
{
    public const string Section = "Booking";

    /// <summary>The weekly hours until she saves her own (<see cref="WeeklyHours"/> syntax).</summary>
    public string DefaultHours { get; set; } = "Mon-Fri 10:00-16:00";

    /// <summary>How long a booking link works.</summary>
    public TimeSpan LinkLifetime { get; set; } = TimeSpan.FromDays(14);

    /// <summary>How long before a call the client's reminder is sent; zero sends none.</summary>
    public TimeSpan ReminderBefore { get; set; } = TimeSpan.FromDays(1);

    /// <summary>The video-call address put into video consultations' invitations; empty sends none.</summary>
    public string? MeetingUrl { get; set; }

    /// <summary>Requests to the booking pages and the calendar feed one client address may make per <see cref="RequestWindow"/>.</summary>
    public int RequestLimit { get; set; } = 60;

    public TimeSpan RequestWindow { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>
    /// How many times a client may change a booked time through her link: each change emails an invitation to her and
    /// one to the practice, so a link must not be able to flood the inbox. Cancelling stays possible after the last.
    /// </summary>
    public int ChangesPerLink { get; set; } = 5;

    public const int MaxChangesPerLink = 50;

    // Until she saves her own on the hours page.
    public const int DefaultSlotMinutes = 15;
    public const int DefaultGapMinutes = 0;
    public const int DefaultHorizonDays = 21;
    public const int DefaultNoticeHours = 24;
}

/// <summary>Each booking setting is checked at start-up, with a message naming the setting and what it must be.</summary>
public sealed class BookingOptionsValidation : IValidateOptions<BookingOptions>
{
    public ValidateOptionsResult Validate(string? name, BookingOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        if (!WeeklyHours.TryParse(options.DefaultHours, out _, out var error))
        {
            failures.Add($"Booking:DefaultHours must be days and times such as '{WeeklyHours.Example}': {error}");
        }

        if (options.LinkLifetime <= TimeSpan.Zero || options.LinkLifetime > TimeSpan.FromDays(90))
        {
            failures.Add($"Booking:LinkLifetime must be more than zero and at most 90 days (such as 14.00:00:00); it is {options.LinkLifetime}.");
        }

        if (options.ReminderBefore < TimeSpan.Zero || options.ReminderBefore > TimeSpan.FromDays(14))
        {
            failures.Add($"Booking:ReminderBefore must be between 00:00:00 (no reminder) and 14 days; it is {options.ReminderBefore}.");
        }

        if (!string.IsNullOrWhiteSpace(options.MeetingUrl)
            && !(Uri.TryCreate(options.MeetingUrl.Trim(), UriKind.Absolute, out var meeting) && meeting.Scheme == Uri.UriSchemeHttps))
        {
            failures.Add($"Booking:MeetingUrl must be an absolute https address (the video-call room), or empty; it is '{options.MeetingUrl}'.");
        }

        if (options.RequestLimit < 1 || options.RequestWindow <= TimeSpan.Zero || options.RequestWindow > TimeSpan.FromDays(1))
        {
            failures.Add($"Booking:RequestLimit must be at least 1 and Booking:RequestWindow more than zero and at most a day; they are {options.RequestLimit} and {options.RequestWindow}.");
        }

        if (options.ChangesPerLink < 0 || options.ChangesPerLink > BookingOptions.MaxChangesPerLink)
        {
            failures.Add($"Booking:ChangesPerLink must be between 0 (a booked time cannot be changed, only cancelled) and {BookingOptions.MaxChangesPerLink}; it is {options.ChangesPerLink}.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
