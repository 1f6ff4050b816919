using System.Net.Sockets;
using KapPractice.Web.Infrastructure.Email;
using MailKit.Net.Smtp;
using MailKit.Security;

namespace KapPractice.UnitTests.Infrastructure.Email;

public sealed class MailKitTransportTests
{
    public static TheoryData<Exception, DeliveryOutcome> Failures => new()
    {
        { new SmtpCommandException(SmtpErrorCode.MessageNotAccepted, SmtpStatusCode.MailboxBusy, "try later"), DeliveryOutcome.Transient },
        { new SmtpCommandException(SmtpErrorCode.MessageNotAccepted, SmtpStatusCode.ErrorInProcessing, "local error"), DeliveryOutcome.Transient },
        { new SmtpCommandException(SmtpErrorCode.MessageNotAccepted, SmtpStatusCode.MailboxUnavailable, "no such mailbox"), DeliveryOutcome.Permanent },
        { new SmtpCommandException(SmtpErrorCode.RecipientNotAccepted, SmtpStatusCode.MailboxUnavailable, "unknown user"), DeliveryOutcome.Permanent },
        { new SmtpCommandException(SmtpErrorCode.SenderNotAccepted, SmtpStatusCode.TransactionFailed, "spam"), DeliveryOutcome.Permanent },
        { new AuthenticationException("bad password"), DeliveryOutcome.Permanent },
        { new SmtpProtocolException("garbled"), DeliveryOutcome.Transient },
        { new IOException("reset"), DeliveryOutcome.Transient },
        { new SocketException((int)SocketError.ConnectionRefused), DeliveryOutcome.Transient },
        { new OperationCanceledException(), DeliveryOutcome.Transient },
        { new TimeoutException(), DeliveryOutcome.Transient },
    };

    [Theory]
    [MemberData(nameof(Failures))]
    public void Failures_are_sorted_into_retry_and_final(Exception failure, DeliveryOutcome expected)
    {
        var result = MailKitTransport.Classify(failure);

        Assert.Equal(expected, result.Outcome);
        Assert.False(string.IsNullOrEmpty(result.Error));
        Assert.False(string.IsNullOrEmpty(result.LogCode));
    }

    [Fact]
    public void A_rejected_recipient_is_named_in_the_error_with_the_status_code()
    {
        var result = MailKitTransport.Classify(new SmtpCommandException(SmtpErrorCode.RecipientNotAccepted, SmtpStatusCode.MailboxUnavailable, "5.1.1 unknown user"));

        Assert.Equal("Recipient rejected: 550 5.1.1 unknown user", result.Error);
        Assert.Equal("SMTP 550", result.LogCode);
    }

    [Theory]
    [InlineData(SmtpSecurity.Auto, SecureSocketOptions.Auto)]
    [InlineData(SmtpSecurity.StartTls, SecureSocketOptions.StartTls)]
    [InlineData(SmtpSecurity.SslOnConnect, SecureSocketOptions.SslOnConnect)]
    [InlineData(SmtpSecurity.None, SecureSocketOptions.None)]
    public void The_security_setting_chooses_the_socket_options(SmtpSecurity setting, SecureSocketOptions expected) =>
        Assert.Equal(expected, MailKitTransport.SocketOptions(setting));
}
