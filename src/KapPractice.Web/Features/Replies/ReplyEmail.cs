using System.Text;
using KapPractice.Web.Domain;
using KapPractice.Web.Infrastructure;
using KapPractice.Web.Infrastructure.Email;
using MimeKit;

namespace KapPractice.Web.Features.Replies;

/// <summary>
/// The practitioner's reply as the client receives it: plain text, her words, then the practice's signature
/// and the crisis line. From the site's sender, Reply-To the practice, so the client's answer reaches her.
/// </summary>
public static class ReplyEmail
{
    /// <summary>Where the signature starts (the usual "-- " line, which mail clients recognise).</summary>
    public const string SignatureSeparator = "-- ";

    public static MimeMessage Compose(InquiryReply reply, OutboxMessage row, EmailOptions email, PracticeOptions practice, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(reply);
        ArgumentNullException.ThrowIfNull(row);
        ArgumentNullException.ThrowIfNull(email);
        ArgumentNullException.ThrowIfNull(practice);
        var message = new MimeMessage
        {
            // Stable across retries; a resend is a new row with its own.
            MessageId = row.MessageId,
            Date = now,
            Subject = HeaderSafe(reply.Subject),
        };
        message.From.Add(MailboxAddress.Parse(email.From));
        message.To.Add(MailboxAddress.Parse(row.Recipient));
        message.ReplyTo.Add(new MailboxAddress(practice.Name, practice.ContactEmail));
        message.Body = new TextPart("plain") { Text = Text(reply.Body, practice) };
        return MailParts.Prepared(message);
    }

    /// <summary>The body: what she wrote, the signature, the crisis line.</summary>
    public static string Text(string body, PracticeOptions practice)
    {
        ArgumentNullException.ThrowIfNull(body);
        ArgumentNullException.ThrowIfNull(practice);
        var text = new StringBuilder(body.ReplaceLineEndings("\n").TrimEnd()).Append("\n\n").Append(SignatureSeparator).Append('\n');
        text.Append(practice.Name).Append('\n').Append(practice.ContactEmail).Append('\n');
        if (!string.IsNullOrWhiteSpace(practice.SiteUrl))
        {
            text.Append(practice.SiteUrl.Trim()).Append('\n');
        }

        return text.Append('\n').Append(MailParts.CrisisLine).Append('\n').ToString();
    }

    /// <summary>One line (no CR, LF or other control character) of at most <see cref="TextLimits.ReplySubject"/> characters.</summary>
    public static string HeaderSafe(string subject)
    {
        var line = OneLine(subject);
        return line.Length > TextLimits.ReplySubject ? line[..TextLimits.ReplySubject] : line;
    }

    /// <summary>Line breaks and runs of white space become one space; other control characters go.</summary>
    public static string OneLine(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var line = string.Join(' ', text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
        return new string([.. line.Where(c => !char.IsControl(c))]);
    }
}
