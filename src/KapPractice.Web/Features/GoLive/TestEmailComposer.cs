using KapPractice.Web.Domain;
using KapPractice.Web.Infrastructure;
using KapPractice.Web.Infrastructure.Data;
using KapPractice.Web.Infrastructure.Email;
using KapPractice.Web.Infrastructure.Outbox;
using Microsoft.Extensions.Options;
using MimeKit;

namespace KapPractice.Web.Features.GoLive;

/// <summary>
/// The checklist's test email: sent through the outbox like every other email, so it proves the path inquiries take
/// (the SMTP settings, the sender address, the retries). It names no client and holds no client data.
/// </summary>
public sealed class TestEmailComposer(IOptions<EmailOptions> emailOptions, IOptions<PracticeOptions> practiceOptions, PracticeClock clock) : IOutboxComposer
{
    public const string Subject = "Test email from your practice website";

    public bool Composes(OutboxKind kind) => kind == OutboxKind.TestEmail;

    public Task<MimeMessage> ComposeAsync(KapDbContext db, OutboxMessage row, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(row);
        var message = MailParts.NewMessage(row, emailOptions.Value, now);
        message.Subject = Subject;
        var site = practiceOptions.Value.SiteUrl is { Length: > 0 } url ? $" ({url.Trim()})" : string.Empty;
        message.Body = new TextPart("plain")
        {
            Text =
                $"This is the test email you asked for from the admin area of your website{site}, queued {clock.Format(row.CreatedUtc)}.\n\n" +
                "If you are reading it, the site's email settings work: new inquiries and their reminders reach you at this address.\n\n" +
                "Nothing needs doing. If it landed in a spam or junk folder, mark it as not spam so that inquiries do not land there too.\n",
        };
        return Task.FromResult(MailParts.Prepared(message));
    }
}
