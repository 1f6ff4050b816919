using KapPractice.Web.Domain;

namespace KapPractice.Web.Infrastructure.Outbox;

/// <summary>Questions about delivery that the admin list and the health check must answer alike.</summary>
public static class OutboxQueries
{
    /// <summary>
    /// Inquiries whose latest notification to the practitioner failed: one sent again afterwards
    /// (a newer row) clears it, so an old failure does not count forever.
    /// </summary>
    public static IQueryable<Inquiry> WithFailedNotification(this IQueryable<Inquiry> inquiries)
    {
        ArgumentNullException.ThrowIfNull(inquiries);
        return inquiries.Where(i => i.OutboxMessages
            .Where(m => m.Kind == OutboxKind.PractitionerNotification)
            .OrderByDescending(m => m.Id)
            .Select(m => (OutboxState?)m.State)
            .FirstOrDefault() == OutboxState.Failed);
    }
}
