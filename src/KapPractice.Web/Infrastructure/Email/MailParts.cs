using KapPractice.Web.Domain;
using MimeKit;

namespace KapPractice.Web.Infrastructure.Email;

/// <summary>What every email the site sends shares, whichever feature composes it: the crisis line and the encoding that strict servers accept.</summary>
public static class MailParts
{
    /// <summary>The longest line a message may have (RFC 5322), in octets without the CRLF.</summary>
    public const int MaxLineLength = 998;

    public static readonly string CrisisLine = $"If you are in crisis or thinking about harming yourself, please do not wait for a reply: {CrisisLines.Text}.";

    /// <summary>
    /// Every body part declares its transfer encoding, and none carries raw 8-bit text or a line over
    /// <see cref="MaxLineLength"/> octets, so strict servers accept it and the pickup .eml matches what SMTP sends.
    /// </summary>
    public static MimeMessage Prepared(MimeMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        foreach (var part in message.BodyParts.OfType<MimePart>())
        {
            part.ContentTransferEncoding = part.GetBestEncoding(EncodingConstraint.SevenBit, MaxLineLength);
        }

        return message;
    }

    /// <summary>
    /// The headers every email starts with: the row's Message-ID (stable across retries, so a receiver can tell a resend
    /// after an unclear failure is the same message), the date, the practice's sender, and the header asking
    /// auto-responders (out-of-office) not to answer; addressed to the row's recipient.
    /// </summary>
    public static MimeMessage NewMessage(OutboxMessage row, EmailOptions email, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(row);
        ArgumentNullException.ThrowIfNull(email);
        var message = new MimeMessage { MessageId = row.MessageId, Date = now };
        message.From.Add(MailboxAddress.Parse(email.From));
        message.To.Add(MailboxAddress.Parse(row.Recipient));
        message.Headers.Add("Auto-Submitted", "auto-generated");
        return message;
    }
}
