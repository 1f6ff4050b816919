using KapPractice.Web.Domain;
using KapPractice.Web.Infrastructure;
using KapPractice.Web.Infrastructure.Data;
using KapPractice.Web.Infrastructure.Email;
using KapPractice.Web.Infrastructure.Outbox;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using MimeKit;

namespace KapPractice.Web.Features.Replies;

/// <summary>Composes a <see cref="OutboxKind.ClientReply"/> row from its stored reply, read at send time.</summary>
public sealed class ReplyMessageComposer(IOptions<EmailOptions> emailOptions, IOptions<PracticeOptions> practiceOptions) : IOutboxComposer
{
    public bool Composes(OutboxKind kind) => kind == OutboxKind.ClientReply;

    public async Task<MimeMessage> ComposeAsync(KapDbContext db, OutboxMessage row, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(row);
        var reply = row.ReplyId is { } id ? await db.InquiryReplies.AsNoTracking().SingleOrDefaultAsync(r => r.Id == id, cancellationToken) : null;
        return reply is null
            ? throw new InvalidOperationException($"Outbox row {row.Id} has no reply.")
            : ReplyEmail.Compose(reply, row, emailOptions.Value, practiceOptions.Value, now);
    }
}
