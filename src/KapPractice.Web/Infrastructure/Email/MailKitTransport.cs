using System.Net.Sockets;
using MailKit;
using MailKit.Net.Smtp;
using MailKit.Security;
using Microsoft.Extensions.Options;

namespace KapPractice.Web.Infrastructure.Email;

/// <summary>
/// SMTP through MailKit: connect, authenticate when a user is set, send, disconnect, each step
/// bounded by Email:Smtp:Timeout. Failures are sorted into worth-retrying and final.
/// The protocol logger is never attached: it would write message content and addresses.
/// </summary>
public sealed class MailKitTransport : IMailTransport
{
    private readonly SmtpOptions _smtp;

    public MailKitTransport(IOptions<EmailOptions> options, IOptions<PracticeOptions> practice, ILogger<MailKitTransport> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(practice);
        ArgumentNullException.ThrowIfNull(logger);
        _smtp = options.Value.Smtp;
        EmailLog.SendingThroughSmtp(logger, _smtp.Host, _smtp.Port, _smtp.Security);
        if (string.IsNullOrWhiteSpace(practice.Value.SiteUrl))
        {
            // Real mail is going out, and its notifications can only say "sign in and open inquiry #N".
            EmailLog.NoSiteUrlForLinks(logger);
        }
    }

    public async Task<DeliveryResult> SendAsync(OutgoingMail mail, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(mail);
        using var client = new SmtpClient { Timeout = (int)_smtp.Timeout.TotalMilliseconds };
        try
        {
            await StepAsync(ct => client.ConnectAsync(_smtp.Host!, _smtp.Port, SocketOptions(_smtp.Security), ct), cancellationToken);
            if (!string.IsNullOrEmpty(_smtp.UserName))
            {
                await StepAsync(ct => client.AuthenticateAsync(_smtp.UserName, _smtp.Password ?? "", ct), cancellationToken);
            }

            await StepAsync(ct => client.SendAsync(mail.Message, ct), cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception ex)
        {
            return Classify(ex);
        }

        try
        {
            await StepAsync(ct => client.DisconnectAsync(quit: true, ct), cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            // The server has accepted the message; a failed goodbye must not cause a second copy.
        }

        return DeliveryResult.Sent;
    }

    /// <summary>4xx and network trouble are retried; 5xx, rejected recipients and failed sign-in are final.</summary>
    public static DeliveryResult Classify(Exception exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        switch (exception)
        {
            case SmtpCommandException command:
            {
                var status = (int)command.StatusCode;
                var code = $"SMTP {status}";
                var what = command.ErrorCode switch
                {
                    SmtpErrorCode.RecipientNotAccepted => "Recipient rejected",
                    SmtpErrorCode.SenderNotAccepted => "Sender rejected",
                    SmtpErrorCode.MessageNotAccepted => "Message rejected",
                    _ => "Unexpected reply",
                };
                var error = $"{what}: {status} {command.Message}";
                return status is >= 400 and < 500 ? DeliveryResult.Retry(error, code) : DeliveryResult.Fail(error, code);
            }

            case AuthenticationException:
                return DeliveryResult.Fail($"SMTP sign-in failed: {exception.Message}", nameof(AuthenticationException));
            case SmtpProtocolException:
            case ServiceNotConnectedException:
            case ServiceNotAuthenticatedException:
            case SslHandshakeException:
            case IOException:
            case SocketException:
            case TimeoutException:
                return DeliveryResult.Retry($"{exception.GetType().Name}: {exception.Message}", exception.GetType().Name);
            case OperationCanceledException:
                return DeliveryResult.Retry("The SMTP server did not answer in time", "Timeout");
            default:
                // Unknown trouble is retried: giving up too early loses mail, retrying only costs time.
                return DeliveryResult.Retry($"{exception.GetType().Name}: {exception.Message}", exception.GetType().Name);
        }
    }

    public static SecureSocketOptions SocketOptions(SmtpSecurity security) => security switch
    {
        SmtpSecurity.StartTls => SecureSocketOptions.StartTls,
        SmtpSecurity.SslOnConnect => SecureSocketOptions.SslOnConnect,
        SmtpSecurity.None => SecureSocketOptions.None,
        _ => SecureSocketOptions.Auto,
    };

    /// <summary>Network time is real time, so the timeout uses the system clock even when the app's clock is faked.</summary>
    private async Task StepAsync(Func<CancellationToken, Task> step, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(_smtp.Timeout);
        await step(timeout.Token);
    }
}
