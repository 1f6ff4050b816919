using MimeKit;

namespace KapPractice.Web.Infrastructure.Email;

/// <summary>Delivers one composed message; never throws for a delivery problem, it classifies it instead.</summary>
public interface IMailTransport
{
    Task<DeliveryResult> SendAsync(OutgoingMail mail, CancellationToken cancellationToken);
}

/// <summary>A composed message and the outbox row it came from (for file names and logs).</summary>
public sealed record OutgoingMail(int OutboxId, MimeMessage Message);

public enum DeliveryOutcome { Sent, Transient, Permanent }

/// <param name="Error">For the row's LastError (seen by the signed-in practitioner); may hold the server's own words.</param>
/// <param name="LogCode">Safe to log: a status code or exception type, never an address or content.</param>
public sealed record DeliveryResult(DeliveryOutcome Outcome, string? Error = null, string? LogCode = null)
{
    public static DeliveryResult Sent { get; } = new(DeliveryOutcome.Sent);

    public static DeliveryResult Retry(string error, string logCode) => new(DeliveryOutcome.Transient, error, logCode);

    public static DeliveryResult Fail(string error, string logCode) => new(DeliveryOutcome.Permanent, error, logCode);
}
