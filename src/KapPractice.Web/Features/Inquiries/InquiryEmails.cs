using System.Globalization;
using System.Net;
using System.Text;
using KapPractice.Web.Domain;
using KapPractice.Web.Infrastructure;
using KapPractice.Web.Infrastructure.Email;
using MimeKit;

namespace KapPractice.Web.Features.Inquiries;

/// <summary>
/// Composes the two emails an inquiry causes. Pure functions of the inquiry, the outbox row and the
/// options: every value a client typed is HTML-encoded in the HTML part, and the subject never names
/// the client (subjects show on lock screens and in shared inbox lists).
/// </summary>
public static class InquiryEmails
{
    public static MimeMessage Compose(OutboxMessage row, EmailOptions email, PracticeOptions practice, PracticeClock clock, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(row);
        var inquiry = row.Inquiry ?? throw new InvalidOperationException($"Outbox row {row.Id} has no inquiry loaded.");
        return row.Kind switch
        {
            OutboxKind.PractitionerNotification => Notification(inquiry, row, email, practice, clock, now),
            OutboxKind.ClientAcknowledgement => Acknowledgement(inquiry, row, email, practice, now),
            _ => throw new InvalidOperationException($"Unknown outbox kind {row.Kind}."),
        };
    }

    /// <summary>To the practitioner: the whole submission and its screening, or with Minimal detail only that one arrived.</summary>
    public static MimeMessage Notification(Inquiry inquiry, OutboxMessage row, EmailOptions email, PracticeOptions practice, PracticeClock clock, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(clock);
        ArgumentNullException.ThrowIfNull(inquiry);
        ArgumentNullException.ThrowIfNull(row);
        ArgumentNullException.ThrowIfNull(email);
        ArgumentNullException.ThrowIfNull(practice);
        var minimal = email.NotificationDetail == NotificationDetail.Minimal;
        var message = MailParts.NewMessage(row, email, now);
        message.Subject = NotificationSubject(inquiry, email.NotificationDetail);
        var body = minimal ? MinimalBody(inquiry, practice, clock) : FullBody(inquiry, practice, clock);
        if (!minimal)
        {
            // The practitioner answers the client straight from her mail client.
            message.ReplyTo.Add(ReplyToClient(inquiry));
        }

        message.Body = new BodyBuilder { TextBody = body.Text, HtmlBody = body.Html }.ToMessageBody();
        return MailParts.Prepared(message);
    }

    /// <summary>
    /// The client's address, named only with a name that reads the same everywhere (MimeKit then encodes
    /// it itself); a stored name a mail client would show as something else leaves the address alone.
    /// </summary>
    public static MailboxAddress ReplyToClient(Inquiry inquiry)
    {
        ArgumentNullException.ThrowIfNull(inquiry);
        return new MailboxAddress(DisplayText.IsPlainName(inquiry.FullName) ? inquiry.FullName : string.Empty, inquiry.Email);
    }

    /// <summary>
    /// Urgency shows in both modes, because it asks for a prompt look; nothing else does: subjects show
    /// on lock screens and in inbox lists, so no outcome, reason or name (those are in the body with Full detail).
    /// </summary>
    public static string NotificationSubject(Inquiry inquiry, NotificationDetail detail)
    {
        ArgumentNullException.ThrowIfNull(inquiry);
        if (inquiry.Outcome != ScreeningOutcome.Urgent)
        {
            return $"New inquiry #{inquiry.Id}";
        }

        return detail == NotificationDetail.Minimal ? $"URGENT: new inquiry #{inquiry.Id}, please review promptly" : $"URGENT: new inquiry #{inquiry.Id}";
    }

    /// <summary>
    /// To the client: thanks, what happens next and the crisis line. No health details and no screening
    /// outcome; and neither the typed name nor any other typed text, so the form cannot be used to send
    /// someone else's words to an address that was never asked.
    /// </summary>
    public static MimeMessage Acknowledgement(Inquiry inquiry, OutboxMessage row, EmailOptions email, PracticeOptions practice, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(inquiry);
        ArgumentNullException.ThrowIfNull(row);
        ArgumentNullException.ThrowIfNull(email);
        ArgumentNullException.ThrowIfNull(practice);
        var message = MailParts.NewMessage(row, email, now);
        message.ReplyTo.Add(new MailboxAddress(practice.Name, practice.ContactEmail));
        message.Subject = $"Thank you for your inquiry — {practice.Name}";

        var paragraphs = new List<string>
        {
            "Hello,",
            $"Thank you for getting in touch. Your inquiry has reached {practice.Name} safely.",
            "What happens next: she reads every inquiry personally and will reply by the contact method you chose. "
                + "Sending the form does not start a therapy relationship.",
            MailParts.CrisisLine,
            $"If you want to add something, reply to this email or write to {practice.ContactEmail}.",
            "You are receiving this because this address was entered in the inquiry form on the practice's website. "
                + "If that was not you, you can ignore this message.",
        };
        var text = string.Join("\n\n", paragraphs) + "\n";
        var html = new StringBuilder("<!DOCTYPE html><html><body>");
        foreach (var paragraph in paragraphs)
        {
            html.Append("<p>").Append(Encode(paragraph)).Append("</p>");
        }

        html.Append("</body></html>");
        message.Body = new BodyBuilder { TextBody = text, HtmlBody = html.ToString() }.ToMessageBody();
        return MailParts.Prepared(message);
    }

    /// <summary>The inquiry's absolute address in the admin area; null without Practice:SiteUrl (a bare path is useless in a mail client).</summary>
    public static string? AdminLink(Inquiry inquiry, PracticeOptions practice)
    {
        ArgumentNullException.ThrowIfNull(inquiry);
        ArgumentNullException.ThrowIfNull(practice);
        return string.IsNullOrWhiteSpace(practice.SiteUrl) ? null : $"{practice.SiteUrl.Trim().TrimEnd('/')}/admin/inquiries/{inquiry.Id}";
    }

    /// <summary>What to do instead of following a link, when there is no site address to link to.</summary>
    public static string SignInInstruction(Inquiry inquiry)
    {
        ArgumentNullException.ThrowIfNull(inquiry);
        return $"Sign in to the admin area of the site and open inquiry #{inquiry.Id}.";
    }

    private sealed record Body(string Text, string Html);

    private static Body MinimalBody(Inquiry inquiry, PracticeOptions practice, PracticeClock clock)
    {
        var link = AdminLink(inquiry, practice);
        var lines = new List<string>
        {
            $"A new inquiry (#{inquiry.Id}) arrived on {clock.Format(inquiry.ReceivedUtc)}.",
            inquiry.Outcome == ScreeningOutcome.Urgent ? "It is marked URGENT: please review it promptly." : "It is not marked urgent.",
            "Its details are kept in the admin area only (this site sends minimal notifications)" + (link is null ? "." : ":"),
            link ?? SignInInstruction(inquiry),
        };
        var text = string.Join("\n\n", lines) + "\n";
        var html = new StringBuilder("<!DOCTYPE html><html><body>");
        foreach (var line in link is null ? lines : lines.SkipLast(1))
        {
            html.Append("<p>").Append(Encode(line)).Append("</p>");
        }

        if (link is not null)
        {
            html.Append(CultureInfo.InvariantCulture, $"<p><a href=\"{Encode(link)}\">Open inquiry #{inquiry.Id} in the admin area</a></p>");
        }

        html.Append("</body></html>");
        return new Body(text, html.ToString());
    }

    private static Body FullBody(Inquiry inquiry, PracticeOptions practice, PracticeClock clock)
    {
        var link = AdminLink(inquiry, practice);
        var text = new StringBuilder();
        var html = new StringBuilder("<!DOCTYPE html><html><body>");

        var heading = $"New inquiry #{inquiry.Id}, received {clock.Format(inquiry.ReceivedUtc)}";
        text.AppendLine(heading).AppendLine();
        html.Append("<h1>").Append(Encode(heading)).Append("</h1>");
        if (inquiry.Outcome == ScreeningOutcome.Urgent)
        {
            const string urgent = "URGENT: the client answered yes to current thoughts of harming themselves or ending their life.";
            text.AppendLine(urgent).AppendLine();
            html.Append("<p><strong>").Append(Encode(urgent)).Append("</strong></p>");
        }

        text.AppendLine($"Screening: {Labels.For(inquiry.Outcome)}");
        html.Append("<h2>Screening: ").Append(Encode(Labels.For(inquiry.Outcome))).Append("</h2>");
        if (inquiry.ScreeningReasons.Count > 0)
        {
            html.Append("<ul>");
            foreach (var reason in inquiry.ScreeningReasons)
            {
                text.AppendLine($"- {reason}");
                html.Append("<li>").Append(Encode(reason)).Append("</li>");
            }

            html.Append("</ul>");
        }

        if (link is null)
        {
            text.AppendLine().AppendLine(SignInInstruction(inquiry)).AppendLine();
            html.Append("<p>").Append(Encode(SignInInstruction(inquiry))).Append("</p>");
        }
        else
        {
            text.AppendLine().AppendLine($"Open in the admin area: {link}").AppendLine();
            html.Append("<p><a href=\"").Append(Encode(link)).Append("\">Open in the admin area</a></p>");
        }

        if (inquiry.IsSuspectedSpam)
        {
            text.AppendLine("This inquiry is marked as suspected spam.").AppendLine();
            html.Append("<p>This inquiry is marked as suspected spam.</p>");
        }

        foreach (var group in AnswerSheet.For(inquiry, clock.Format))
        {
            text.AppendLine(group.Title);
            html.Append("<h2>").Append(Encode(group.Title)).Append("</h2><table>");
            foreach (var answer in group.Answers)
            {
                // The question as the client read it, and the answer beneath it.
                var shown = answer.Value.Trim();
                text.AppendLine($"  {answer.Question}").AppendLine($"    {shown.ReplaceLineEndings("\n    ")}");
                html.Append("<tr><th align=\"left\" valign=\"top\">").Append(Encode(answer.Question)).Append("</th><td>")
                    .Append(Encode(shown).ReplaceLineEndings("<br>"))
                    .Append("</td></tr>");
            }

            text.AppendLine();
            html.Append("</table>");
        }

        html.Append("</body></html>");
        return new Body(text.ToString(), html.ToString());
    }

    private static string Encode(string value) => WebUtility.HtmlEncode(value);
}
