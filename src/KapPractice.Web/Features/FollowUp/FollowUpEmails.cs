using System.Globalization;
using System.Net;
using System.Text;
using KapPractice.Web.Domain;
using KapPractice.Web.Infrastructure;
using KapPractice.Web.Infrastructure.Email;
using MimeKit;

namespace KapPractice.Web.Features.FollowUp;

/// <summary>How many inquiries wait for a first answer: all still New (not spam), those past the promise, those urgent.</summary>
public sealed record WaitingCounts(int New, int Overdue, int Urgent)
{
    public bool AnyWaiting => New > 0;
}

/// <summary>
/// The practitioner's daily digest and the urgent reminder. Pure functions of counts, an inquiry number and times:
/// no name, no answer, nothing a client typed, so they are safe in any mailbox and on a lock screen.
/// </summary>
public static class FollowUpEmails
{
    public const string DigestSubjectPrefix = "Inquiries waiting for a reply";

    public static MimeMessage Digest(WaitingCounts counts, int businessDays, OutboxMessage row, EmailOptions email, PracticeOptions practice, PracticeClock clock, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(counts);
        ArgumentNullException.ThrowIfNull(row);
        ArgumentNullException.ThrowIfNull(practice);
        ArgumentNullException.ThrowIfNull(clock);
        var message = MailParts.NewMessage(row, email, now);
        message.Subject = $"{DigestSubjectPrefix}: {counts.New} new" + (counts.Urgent > 0 ? $", {counts.Urgent} urgent" : "");
        var link = AdminListLink(practice);
        var lines = new List<string>
        {
            $"Inquiries waiting for a first reply on {clock.Format(now.UtcDateTime)}:",
            $"- New: {counts.New}",
            $"- Overdue (still New after {Plural.Count(businessDays, "business day", "business days")}): {counts.Overdue}",
            $"- Urgent (still New): {counts.Urgent}",
            link is null ? "Sign in to the admin area of the site to see them." : $"See them in the admin area: {link}",
        };
        var text = string.Join("\n", lines.Take(4)) + "\n\n" + lines[4] + "\n";
        var html = new StringBuilder("<!DOCTYPE html><html><body>");
        html.Append("<p>").Append(Encode(lines[0])).Append("</p><ul>");
        foreach (var line in lines.Skip(1).Take(3))
        {
            html.Append("<li>").Append(Encode(line[2..])).Append("</li>");
        }

        html.Append("</ul>");
        html.Append(link is null
            ? $"<p>{Encode(lines[4])}</p>"
            : $"<p><a href=\"{Encode(link)}\">See them in the admin area</a></p>");
        html.Append("</body></html>");
        message.Body = new BodyBuilder { TextBody = text, HtmlBody = html.ToString() }.ToMessageBody();
        return MailParts.Prepared(message);
    }

    /// <summary>The one reminder about urgent inquiries nobody opened in time: each inquiry's number, arrival and link, nothing the client wrote.</summary>
    public static MimeMessage UrgentReminder(IReadOnlyList<(int Id, DateTime ReceivedUtc)> inquiries, TimeSpan remindAfter, OutboxMessage row, EmailOptions email, PracticeOptions practice, PracticeClock clock, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(inquiries);
        ArgumentNullException.ThrowIfNull(row);
        ArgumentNullException.ThrowIfNull(practice);
        ArgumentNullException.ThrowIfNull(clock);
        var message = MailParts.NewMessage(row, email, now);
        message.Subject = inquiries.Count == 1
            ? string.Create(CultureInfo.InvariantCulture, $"URGENT: inquiry #{inquiries[0].Id} has not been opened")
            : string.Create(CultureInfo.InvariantCulture, $"URGENT: {inquiries.Count} inquiries have not been opened");
        var site = string.IsNullOrWhiteSpace(practice.SiteUrl) ? null : practice.SiteUrl.Trim().TrimEnd('/');
        var one = inquiries.Count == 1;
        var lines = inquiries
            .Select(i => string.Create(CultureInfo.InvariantCulture, $"Urgent inquiry #{i.Id} arrived on {clock.Format(i.ReceivedUtc)} and has not been opened in the admin area for more than {Plural.Duration(remindAfter)}."))
            .Append(one ? "This is the only reminder for it." : "This is the only reminder for them.")
            .ToList();
        var links = inquiries.Select(i => (i.Id, Link: site is null ? null : string.Create(CultureInfo.InvariantCulture, $"{site}/admin/inquiries/{i.Id}"))).ToList();
        var text = new StringBuilder(string.Join("\n\n", lines));
        var html = new StringBuilder("<!DOCTYPE html><html><body>");
        foreach (var line in lines)
        {
            html.Append("<p>").Append(Encode(line)).Append("</p>");
        }

        foreach (var (id, link) in links)
        {
            if (link is null)
            {
                var signIn = string.Create(CultureInfo.InvariantCulture, $"Sign in to the admin area of the site and open inquiry #{id}.");
                text.Append("\n\n").Append(signIn);
                html.Append("<p>").Append(Encode(signIn)).Append("</p>");
            }
            else
            {
                text.Append("\n\n").Append(one ? $"Open it: {link}" : string.Create(CultureInfo.InvariantCulture, $"Open inquiry #{id}: {link}"));
                html.Append(string.Create(CultureInfo.InvariantCulture, $"<p><a href=\"{Encode(link)}\">Open inquiry #{id} in the admin area</a></p>"));
            }
        }

        text.Append('\n');
        html.Append("</body></html>");
        message.Body = new BodyBuilder { TextBody = text.ToString(), HtmlBody = html.ToString() }.ToMessageBody();
        return MailParts.Prepared(message);
    }

    /// <summary>The admin list's absolute address; null without Practice:SiteUrl.</summary>
    public static string? AdminListLink(PracticeOptions practice)
    {
        ArgumentNullException.ThrowIfNull(practice);
        return string.IsNullOrWhiteSpace(practice.SiteUrl) ? null : $"{practice.SiteUrl.Trim().TrimEnd('/')}/admin";
    }

    private static string Encode(string value) => WebUtility.HtmlEncode(value);
}
