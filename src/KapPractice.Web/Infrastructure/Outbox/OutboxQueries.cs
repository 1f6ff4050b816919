using KapPractice.Web.Domain;
using KapPractice.Web.Infrastructure.Data;

namespace KapPractice.Web.Infrastructure.Outbox;

/// <summary>Questions about delivery that the admin list and the health check must answer alike.</summary>
public static class OutboxQueries
{
    /// <summary>
    /// Inquiries whose latest notification to the practitioner failed: one sent again afterwards
    /// (a newer row) clears it, so an old failure does not count forever.
    /// </summary>
    public static IQueryable<Inquiry> InquiriesWithFailedNotification(this KapDbContext db)
    {
        ArgumentNullException.ThrowIfNull(db);
        // Started from the few failed rows (the outbox's State index), not by looking at every inquiry: a padded
        // inquiry row fills a page of its own, so a scan of them all costs tens of milliseconds at 10,000.
        var failed = db.OutboxMessages
            .Where(m => m.Kind == OutboxKind.PractitionerNotification && m.State == OutboxState.Failed)
            .Select(m => m.InquiryId);
        return db.Inquiries.Where(i => failed.Contains(i.Id) && i.OutboxMessages
            .Where(m => m.Kind == OutboxKind.PractitionerNotification)
            .OrderByDescending(m => m.Id)
            .Select(m => (OutboxState?)m.State)
            .FirstOrDefault() == OutboxState.Failed);
    }

    /// <summary>
    /// Every email that failed for good and was not sent again since: a newer row of the same kind for the same
    /// inquiry, reply and booking clears it (for the digest, which belongs to no inquiry, the next day's digest).
    /// A failed acknowledgement to a client is left out: it shows on its inquiry page and nothing can send it again.
    /// </summary>
    public static IQueryable<OutboxMessage> FailedForGood(this KapDbContext db)
    {
        ArgumentNullException.ThrowIfNull(db);
        return db.OutboxMessages.AsQueryable().Where(m => m.State == OutboxState.Failed && m.Kind != OutboxKind.ClientAcknowledgement
            && !db.OutboxMessages.Any(n => n.Id > m.Id && n.Kind == m.Kind && n.InquiryId == m.InquiryId && n.ReplyId == m.ReplyId && n.BookingId == m.BookingId));
    }
}
