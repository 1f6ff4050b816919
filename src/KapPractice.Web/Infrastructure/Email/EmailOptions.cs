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

    /// <summary>
    /// Outside Development, no <see cref="SmtpOptions.Host"/> stops start-up unless this is true: every email, the
    /// client's answers included, then waits in the pickup folder on this server (<see cref="EmailOptionsValidation"/>).
    /// </summary>
    public bool AllowPickupFolder { get; set; }

    /// <summary>Validated at start-up with the rest: a nested object's own attributes are checked only when asked.</summary>
    [ValidateObjectMembers]
    public SmtpOptions Smtp { get; set; } = new();

    public bool UsesPickupFolder => string.IsNullOrWhiteSpace(Smtp.Host);
}

/// <summary>
/// Without an SMTP server the site's mail, health details included, stays on this server's disk (docs/operations.md). On a laptop (Development) that is the point; anywhere else it must be chosen, not fallen into by a
/// setting left out of the service's environment file.
/// </summary>
public sealed class EmailOptionsValidation(IHostEnvironment environment) : IValidateOptions<EmailOptions>
{
    public ValidateOptionsResult Validate(string? name, EmailOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return options.UsesPickupFolder && !options.AllowPickupFolder && !environment.IsDevelopment()
            ? ValidateOptionsResult.Fail(
                "Email:Smtp:Host is not set, so every email (the client's answers included) would be written to the pickup folder on this server. " +
                "Set Email:Smtp:Host to the practice's SMTP server (docs/configuration.md), or, to keep mail in the pickup folder on purpose, set Email:AllowPickupFolder=true " +
                $"(environment {environment.EnvironmentName}; only Development allows the pickup folder without it).")
            : ValidateOptionsResult.Success;
    }
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
