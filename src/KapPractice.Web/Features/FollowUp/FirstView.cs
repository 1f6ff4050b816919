using KapPractice.Web.Domain;
using KapPractice.Web.Infrastructure.Data;
using Microsoft.EntityFrameworkCore;

namespace KapPractice.Web.Features.FollowUp;

/// <summary>What opening an inquiry for the first time means: it counts as seen, and a reminder that it "has not been opened" must not go.</summary>
public static class FirstView
{
    /// <summary>
    /// Sets FirstViewedUtc when unset and marks the inquiry's still-Pending urgent reminders for deletion, so the
    /// caller's SaveChanges records both at once (a reminder queued while the mail server was down would otherwise go later).
    /// </summary>
    public static async Task MarkViewedAsync(this KapDbContext db, Inquiry inquiry, DateTime nowUtc, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(inquiry);
        if (inquiry.FirstViewedUtc is not null)
        {
            return;
        }

        inquiry.FirstViewedUtc = nowUtc;
        var waiting = await db.OutboxMessages
            .Where(m => m.InquiryId == inquiry.Id && m.Kind == OutboxKind.UrgentReminder && m.State == OutboxState.Pending)
            .ToListAsync(cancellationToken);
        db.OutboxMessages.RemoveRange(waiting);
    }
}
