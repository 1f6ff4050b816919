using KapPractice.Web.Domain;
using KapPractice.Web.Infrastructure;
using KapPractice.Web.Infrastructure.Data;
using KapPractice.Web.Infrastructure.Email;
using KapPractice.Web.Infrastructure.Outbox;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using MimeKit;

namespace KapPractice.Web.Features.Inquiries;

/// <summary>The two messages an inquiry causes: the practitioner's notification and the client's acknowledgement.</summary>
public sealed class InquiryMessageComposer(IOptions<EmailOptions> emailOptions, IOptions<PracticeOptions> practiceOptions, PracticeClock clock) : IOutboxComposer
{
    public bool Composes(OutboxKind kind) => kind is OutboxKind.PractitionerNotification or OutboxKind.ClientAcknowledgement;

    public async Task<MimeMessage> ComposeAsync(KapDbContext db, OutboxMessage row, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(row);
        row.Inquiry ??= row.InquiryId is { } id
            ? await db.Inquiries.AsNoTracking().SingleOrDefaultAsync(i => i.Id == id, cancellationToken)
            : null;
        return InquiryEmails.Compose(row, emailOptions.Value, practiceOptions.Value, clock, now);
    }
}
