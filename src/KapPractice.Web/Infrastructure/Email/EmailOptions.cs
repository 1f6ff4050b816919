using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

namespace KapPractice.Web.Infrastructure.Email;

public enum SmtpSecurity { Auto, StartTls, SslOnConnect, None }

public enum NotificationDetail { Full, Minimal }

public sealed class EmailOptions
{
    public const string Section = "Email";

    [Required(ErrorMessage = "Email:From must be set.")]
    [EmailAddress(ErrorMessage = "Email:From must be an email address.")]
    public string From { get; set; } = "no-reply@intuitivecreativeartstherapy.com";

    public NotificationDetail NotificationDetail { get; set; } = NotificationDetail.Full;

    public bool SendClientAcknowledgement { get; set; } = true;

    /// <summary>Tries before a message is marked failed; retries back off from 30 seconds to 8 hours, about a day in all.</summary>
    [Range(1, 100, ErrorMessage = "Email:MaxAttempts must be from {1} to {2}.")]
    public int MaxAttempts { get; set; } = 10;

    /// <summary>Validated at start-up with the rest: a nested object's own attributes are checked only when asked.</summary>
    [ValidateObjectMembers]
    public SmtpOptions Smtp { get; set; } = new();
}

public sealed class SmtpOptions
{
    /// <summary>Empty: messages are written to the pickup folder instead of sent.</summary>
    public string? Host { get; set; }

    [Range(1, 65535, ErrorMessage = "Email:Smtp:Port must be from {1} to {2}.")]
    public int Port { get; set; } = 587;

    public SmtpSecurity Security { get; set; } = SmtpSecurity.Auto;

    public string? UserName { get; set; }

    public string? Password { get; set; }

    /// <summary>Applies to each of connect, authenticate, send and disconnect.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:10:00", ErrorMessage = "Email:Smtp:Timeout must be from {1} to {2}.")]
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(30);
}
