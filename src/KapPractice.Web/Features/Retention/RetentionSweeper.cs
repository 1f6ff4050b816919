using KapPractice.Web.Domain;
using KapPractice.Web.Features.Inquiries;
using KapPractice.Web.Infrastructure.Audit;
using KapPractice.Web.Infrastructure.Data;
using KapPractice.Web.Infrastructure.Email;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace KapPractice.Web.Features.Retention;

/// <summary>
/// Deletes closed inquiries and suspected spam (their notes and outbox rows by cascade, their pickup-folder
/// copies after the commit) once they are older than the retention period: closed ones counted from the
/// status change, spam from its arrival.
/// </summary>
public sealed class RetentionSweeper(
    KapDbContext db,
    AuditLog audit,
    MailPickupFolder mailPickup,
    IOptions<RetentionOptions> options,
    IOptions<InquiryRateLimitOptions> rateLimits,
    TimeProvider time,
    ILogger<RetentionSweeper> logger)
{
    /// <summary>Returns how many inquiries were deleted.</summary>
    public async Task<int> SweepAsync(CancellationToken cancellationToken)
    {
        // The stored-inquiry limit's permits go once their window is over, also when no one posts again to clear them.
        var windowStart = time.GetUtcNow().UtcDateTime - rateLimits.Value.InquiryWindow;
        await db.InquiryPermits.Where(p => p.TakenUtc <= windowStart).ExecuteDeleteAsync(cancellationToken);
        var days = options.Value.DeleteClosedAfterDays;
        if (days <= 0)
        {
            return 0;
        }

        var now = time.GetUtcNow().UtcDateTime;
        var cutoff = now.AddDays(-days);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var expired = await db.Inquiries
            .Where(i => (i.Status == InquiryStatus.Closed && i.StatusChangedUtc < cutoff) || (i.IsSuspectedSpam && i.ReceivedUtc < cutoff))
            // Not while a consultation is still ahead: it would vanish without a word to the client.
            .Where(i => !db.Bookings.Where(BookingFilters.StillAhead(now)).Any(b => b.InquiryId == i.Id))
            .Select(i => new { i.Id, i.Status, i.StatusChangedUtc })
            .ToListAsync(cancellationToken);
        if (expired.Count == 0)
        {
            return 0;
        }

        var ids = expired.Select(i => i.Id).ToList();
        var outboxIds = await db.OutboxMessages.Where(m => m.InquiryId != null && ids.Contains(m.InquiryId.Value)).Select(m => m.Id).ToListAsync(cancellationToken);
        await db.Inquiries.Where(i => ids.Contains(i.Id)).ExecuteDeleteAsync(cancellationToken);
        foreach (var inquiry in expired)
        {
            var reason = inquiry.Status == InquiryStatus.Closed && inquiry.StatusChangedUtc < cutoff ? "closed" : "suspected spam";
            audit.Add(AuditLog.RetentionActor, AuditActions.RetentionDeleted, inquiry.Id, $"{reason} over {days} days");
        }

        audit.Add(AuditLog.RetentionActor, AuditActions.RetentionDeleted, detail: $"rows: {ids.Count}");
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        mailPickup.DeleteFor(outboxIds);
        // The deleted rows' bytes (zeroed by secure_delete) leave the WAL too.
        await db.Database.CheckpointAsync(cancellationToken);
        logger.RetentionDeleted(ids.Count, days);
        return ids.Count;
    }

    /// <summary>
    /// Deletes the files in this instance's pickup folder whose outbox row is gone: an inquiry deleted on another
    /// instance with a data folder of its own (PostgreSQL) deleted only that instance's copies. Instances sharing one
    /// folder (SQLite) find nothing left. A row's file is written while the row exists, so only a deletion leaves one.
    /// Returns how many files went.
    /// </summary>
    public async Task<int> DeleteOrphanedMailAsync(CancellationToken cancellationToken)
    {
        var inFolder = mailPickup.OutboxIds();
        if (inFolder.Count == 0)
        {
            return 0;
        }

        var ids = inFolder.ToList();
        var existing = await db.OutboxMessages.Where(m => ids.Contains(m.Id)).Select(m => m.Id).ToListAsync(cancellationToken);
        var orphaned = inFolder.Except(existing).ToList();
        var deleted = mailPickup.DeleteFor(orphaned);
        if (deleted > 0)
        {
            logger.OrphanedMailDeleted(deleted);
        }

        return deleted;
    }
}
