using System.ComponentModel.DataAnnotations;

namespace KapPractice.Web.Infrastructure.Email;

public enum SmtpSecurity { Auto, StartTls, SslOnConnect, None }

public enum NotificationDetail { Full, Minimal }

public sealed class EmailOptions
{
    public const string Section = "Email";

    [Required, EmailAddress]
    public string From { get; set; } = "no-reply@intuitivecreativeartstherapy.com";

    public NotificationDetail NotificationDetail { get; set; } = NotificationDetail.Full;

    public bool SendClientAcknowledgement { get; set; } = true;

    /// <summary>Tries before a message is marked failed; retries back off from 30 seconds to 8 hours, about a day in all.</summary>
    [Range(1, 100)]
    public int MaxAttempts { get; set; } = 10;

    public SmtpOptions Smtp { get; set; } = new();
}

public sealed class SmtpOptions
{
    /// <summary>Empty: messages are written to the pickup folder instead of sent.</summary>
    public string? Host { get; set; }

    [Range(1, 65535)]
    public int Port { get; set; } = 587;

    public SmtpSecurity Security { get; set; } = SmtpSecurity.Auto;

    public string? UserName { get; set; }

    public string? Password { get; set; }

    /// <summary>Applies to each of connect, authenticate, send and disconnect.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:10:00")]
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(30);
}
