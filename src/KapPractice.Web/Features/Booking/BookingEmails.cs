using System.Net;
using System.Text;
using Ical.Net;
using Ical.Net.CalendarComponents;
using Ical.Net.DataTypes;
using Ical.Net.Serialization;
using KapPractice.Web.Domain;
using KapPractice.Web.Infrastructure;
using KapPractice.Web.Infrastructure.Email;
using MimeKit;

namespace KapPractice.Web.Features.Booking;

/// <summary>What a booking email needs besides the row: the booking (or none, for the link email) and the client's private link.</summary>
public sealed record BookingMailContext(Domain.Booking? Booking, int InquiryId, Uri? ClientLink, DateTime? LinkExpiresUtc);

/// <summary>
/// The booking emails, composed purely from the row, the booking and the settings: to the client the link, the
/// invitation, the cancellation and the reminder; to the practitioner her invitation and cancellation. Each
/// calendar change carries an iCalendar part (METHOD REQUEST or CANCEL, the booking's UID and SEQUENCE, times
/// in UTC). No health details anywhere, no client name in the practitioner's event or in any
/// subject, and the client's replies go to the practice.
/// </summary>
public static class BookingEmails
{
    public const string ProductId = "-//KapPractice//Booking//EN";

    public static MimeMessage Compose(OutboxMessage row, BookingMailContext context, EmailOptions email, PracticeOptions practice, BookingOptions booking, PracticeClock clock, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(row);
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(email);
        ArgumentNullException.ThrowIfNull(practice);
        ArgumentNullException.ThrowIfNull(booking);
        ArgumentNullException.ThrowIfNull(clock);
        var message = new MimeMessage { MessageId = row.MessageId, Date = now };
        message.From.Add(MailboxAddress.Parse(email.From));
        message.To.Add(MailboxAddress.Parse(row.Recipient));
        message.Headers.Add("Auto-Submitted", "auto-generated");
        var toClient = row.Kind is OutboxKind.BookingLinkToClient or OutboxKind.BookingInviteToClient or OutboxKind.BookingCancelToClient or OutboxKind.BookingReminderToClient;
        if (toClient)
        {
            message.ReplyTo.Add(new MailboxAddress(practice.Name, practice.ContactEmail));
        }

        var b = context.Booking;
        Need(b is not null || row.Kind == OutboxKind.BookingLinkToClient, row);
        var paragraphs = new List<Paragraph>();
        string? calendar = null;
        string? method = null;
        switch (row.Kind)
        {
            case OutboxKind.BookingLinkToClient when b is not null:
                message.Subject = $"Your free consultation: {clock.FormatForClient(b.StartUtc)}";
                paragraphs.Add(new("Hello,"));
                paragraphs.Add(new($"Your free consultation call with {practice.Name} is booked for {clock.FormatForClient(b.StartUtc)}. To change the time or cancel, use your private link:"));
                paragraphs.Add(Link(context.ClientLink, "Change or cancel"));
                break;

            case OutboxKind.BookingLinkToClient:
                message.Subject = $"Choose a time for a free consultation — {practice.Name}";
                paragraphs.Add(new("Hello,"));
                paragraphs.Add(new($"You are welcome to a free consultation call with {practice.Name}. Choose a time that suits you here:"));
                paragraphs.Add(Link(context.ClientLink, "Choose a time"));
                paragraphs.Add(new($"This link is private to you and works until {clock.FormatForClient(context.LinkExpiresUtc ?? now.UtcDateTime)}. If no time suits you, just reply to this email."));
                break;

            case OutboxKind.BookingInviteToClient:
                message.Subject = b!.Sequence == 0 ? $"Your free consultation: {clock.FormatForClient(b.StartUtc)}" : $"Your consultation has moved to {clock.FormatForClient(b.StartUtc)}";
                paragraphs.Add(new("Hello,"));
                paragraphs.Add(new((b.Sequence == 0 ? "Your free consultation call is booked for " : "Your consultation call is now on ") + clock.FormatForClient(b.StartUtc) + "."));
                paragraphs.AddRange(HowToJoin(b, practice, booking));
                paragraphs.Add(new("To change the time or cancel, use your private link:"));
                paragraphs.Add(Link(context.ClientLink, "Change or cancel"));
                (calendar, method) = (Calendar(b, practice, booking, forPractitioner: false, cancel: false, Stamp(row)), "REQUEST");
                break;

            case OutboxKind.BookingReminderToClient:
                message.Subject = $"Reminder: your free consultation, {clock.FormatForClient(b!.StartUtc)}";
                paragraphs.Add(new("Hello,"));
                paragraphs.Add(new($"A reminder of your free consultation call with {practice.Name} on {clock.FormatForClient(b.StartUtc)}."));
                paragraphs.AddRange(HowToJoin(b, practice, booking));
                paragraphs.Add(new("To change the time or cancel, use your private link:"));
                paragraphs.Add(Link(context.ClientLink, "Change or cancel"));
                break;

            case OutboxKind.BookingCancelToClient:
                message.Subject = $"Your consultation on {clock.FormatForClient(b!.StartUtc)} is cancelled";
                paragraphs.Add(new("Hello,"));
                paragraphs.Add(new($"Your consultation call on {clock.FormatForClient(b.StartUtc)} is cancelled."));
                if (b.CancelMessage is { } note)
                {
                    paragraphs.Add(new($"A message from {practice.Name}:"));
                    paragraphs.Add(new(note));
                }

                paragraphs.Add(new("To find another time, reply to this email."));
                (calendar, method) = (Calendar(b, practice, booking, forPractitioner: false, cancel: true, Stamp(row)), "CANCEL");
                break;

            case OutboxKind.BookingInviteToPractice:
                message.Subject = $"{EventTitle(context.InquiryId)} {(b!.Sequence == 0 ? "booked" : "moved")}: {clock.Format(b.StartUtc)}";
                paragraphs.Add(new($"{EventTitle(context.InquiryId)} is {(b.Sequence == 0 ? "booked" : "now")} on {clock.Format(b.StartUtc)}, by {ModeWords(b.Mode)}."));
                paragraphs.AddRange(AdminPointer(context.InquiryId, practice));
                (calendar, method) = (Calendar(b, practice, booking, forPractitioner: true, cancel: false, Stamp(row)), "REQUEST");
                break;

            case OutboxKind.BookingCancelToPractice:
                message.Subject = $"{EventTitle(context.InquiryId)} cancelled: {clock.Format(b!.StartUtc)}";
                paragraphs.Add(new($"{EventTitle(context.InquiryId)} on {clock.Format(b.StartUtc)} is cancelled."));
                paragraphs.AddRange(AdminPointer(context.InquiryId, practice));
                (calendar, method) = (Calendar(b, practice, booking, forPractitioner: true, cancel: true, Stamp(row)), "CANCEL");
                break;

            default:
                throw new InvalidOperationException($"Outbox kind {row.Kind} is not a booking email.");
        }

        if (toClient)
        {
            paragraphs.Add(new(MailParts.CrisisLine));
        }

        var alternative = new MultipartAlternative
        {
            new TextPart("plain") { Text = string.Join("\n\n", paragraphs.Select(p => p.Href is null || p.Href == p.Text ? p.Text : $"{p.Text}: {p.Href}")) + "\n" },
            new TextPart("html") { Text = Html(paragraphs) },
        };
        if (calendar is not null)
        {
            var part = new TextPart("calendar") { Text = calendar };
            part.ContentType.Charset = "utf-8";
            part.ContentType.Parameters.Add("method", method!);
            alternative.Add(part);
        }

        message.Body = alternative;
        return MailParts.Prepared(message);
    }

    /// <summary>What the practitioner's calendar and the feed call a consultation: the inquiry's number, never a name.</summary>
    public static string EventTitle(int inquiryId) => $"Consultation #{inquiryId}";

    /// <summary>The iCalendar event of one booking, for an email (METHOD REQUEST or CANCEL).</summary>
    public static string Calendar(Domain.Booking booking, PracticeOptions practice, BookingOptions options, bool forPractitioner, bool cancel, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(booking);
        ArgumentNullException.ThrowIfNull(practice);
        ArgumentNullException.ThrowIfNull(options);
        var calendar = new Calendar { ProductId = ProductId, Method = cancel ? "CANCEL" : "REQUEST" };
        var evt = Event(booking, now);
        evt.Summary = forPractitioner ? EventTitle(booking.InquiryId) : $"Free consultation with {practice.Name}";
        evt.Organizer = new Organizer("mailto:" + practice.ContactEmail) { CommonName = practice.Name };
        if (cancel)
        {
            evt.Status = "CANCELLED";
        }
        else if (booking.Mode == ConsultationMode.Video && MeetingUrl(options) is { } meeting)
        {
            evt.Location = meeting;
            evt.Url = new Uri(meeting);
        }

        if (!forPractitioner)
        {
            evt.Description = booking.Mode == ConsultationMode.Phone
                ? $"{practice.Name} will call you at the number you gave."
                : MeetingUrl(options) is { } room ? $"Video call: {room}" : $"{practice.Name} will send the video link by email.";
        }

        calendar.Events.Add(evt);
        return new CalendarSerializer().SerializeToString(calendar)!;
    }

    /// <summary>
    /// A consultation as a calendar event: UID, SEQUENCE, start and end, nothing else yet. The times are written in
    /// UTC ("Z"), which every calendar reads and shows in its own zone. A local time with the practice's TZID cannot
    /// say which of the two 01:30s of the night the clocks go back it means (RFC 5545 takes the first), so a call
    /// ending in that repeated hour would end before it began.
    /// </summary>
    public static CalendarEvent Event(Domain.Booking booking, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(booking);
        return new CalendarEvent
        {
            Uid = booking.Uid,
            Sequence = booking.Sequence,
            DtStamp = Utc(now.UtcDateTime),
            DtStart = Utc(booking.StartUtc),
            DtEnd = Utc(booking.EndUtc),
        };
    }

    private static CalDateTime Utc(DateTime utc) => new(DateTime.SpecifyKind(utc, DateTimeKind.Utc), "UTC");

    public static string ModeWords(ConsultationMode mode) => mode == ConsultationMode.Phone ? "phone" : "video call";

    private static string? MeetingUrl(BookingOptions options) => string.IsNullOrWhiteSpace(options.MeetingUrl) ? null : options.MeetingUrl.Trim();

    private static IEnumerable<Paragraph> HowToJoin(Domain.Booking booking, PracticeOptions practice, BookingOptions options)
    {
        if (booking.Mode == ConsultationMode.Phone)
        {
            yield return new($"{practice.Name} will call you by phone at the number you gave. If you did not give one, please reply with it.");
        }
        else if (MeetingUrl(options) is { } meeting)
        {
            yield return new("It is a video call. At the time, join here:");
            yield return new(meeting, meeting);
        }
        else
        {
            yield return new($"It is a video call; {practice.Name} will send you the link by email before the call.");
        }
    }

    private static IEnumerable<Paragraph> AdminPointer(int inquiryId, PracticeOptions practice)
    {
        if (string.IsNullOrWhiteSpace(practice.SiteUrl))
        {
            yield return new($"Sign in to the admin area of the site and open inquiry #{inquiryId}.");
        }
        else
        {
            var link = $"{practice.SiteUrl.Trim().TrimEnd('/')}/admin/inquiries/{inquiryId}";
            yield return new($"Open inquiry #{inquiryId} in the admin area", link);
        }
    }

    private static Paragraph Link(Uri? link, string label) =>
        link is null ? new("(the link could not be made; please reply to this email)") : new(label, link.AbsoluteUri);

    private sealed record Paragraph(string Text, string? Href = null);

    private static string Html(IEnumerable<Paragraph> paragraphs)
    {
        var html = new StringBuilder("<!DOCTYPE html><html><body>");
        foreach (var p in paragraphs)
        {
            html.Append("<p>");
            if (p.Href is null)
            {
                html.Append(WebUtility.HtmlEncode(p.Text).ReplaceLineEndings("<br>"));
            }
            else
            {
                html.Append("<a href=\"").Append(WebUtility.HtmlEncode(p.Href)).Append("\">").Append(WebUtility.HtmlEncode(p.Text)).Append("</a>");
            }

            html.Append("</p>");
        }

        return html.Append("</body></html>").ToString();
    }

    /// <summary>DTSTAMP: when the change the message tells of was made (its row's creation), not when a retry sent it.</summary>
    private static DateTimeOffset Stamp(OutboxMessage row) => new(DateTime.SpecifyKind(row.CreatedUtc, DateTimeKind.Utc));

    private static void Need(bool condition, OutboxMessage row)
    {
        if (!condition)
        {
            throw new InvalidOperationException($"Outbox row {row.Id} ({row.Kind}) has no booking.");
        }
    }
}
