using KapPractice.Web.Domain;
using KapPractice.Web.Infrastructure.Data;
using MimeKit;

namespace KapPractice.Web.Infrastructure.Outbox;

/// <summary>
/// Turns a claimed outbox row into the message to send, loading what it needs (the inquiry, a reply,
/// a booking) at send time, so a row never holds a second copy of client data. One composer per
/// feature, registered in DI; the dispatcher asks the one that <see cref="Composes"/> the row's kind.
/// </summary>
public interface IOutboxComposer
{
    bool Composes(OutboxKind kind);

    Task<MimeMessage> ComposeAsync(KapDbContext db, OutboxMessage row, DateTimeOffset now, CancellationToken cancellationToken);
}
