using KapPractice.Web.Domain;
using KapPractice.Web.Infrastructure.Data;
using KapPractice.Web.Infrastructure.Security;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace KapPractice.Web.Features.Inquiries;

/// <summary>
/// The per-client limit on inquiries that are stored (docs/configuration.md): taken only once a submission has passed
/// validation, so a person correcting mistakes never uses up their allowance. Counted in the database over the last
/// window, so it holds across instances; a client is known there only by a keyed hash of its address.
/// </summary>
public sealed class InquirySubmissionLimiter(KapDbContext db, InquiryWriteGate writeGate, IOptions<InquiryRateLimitOptions> options, TimeProvider time)
{
    /// <summary>Takes one permit for this client's address; false when the window's allowance is spent.</summary>
    public async Task<bool> TryAcquireAsync(HttpContext context, CancellationToken cancellationToken)
    {
        var limits = options.Value;
        var now = time.GetUtcNow().UtcDateTime;
        var since = now - limits.InquiryWindow;
        var hash = db.KeyRing.AddressHash(SecuritySetup.ClientKey(context));
        // A write transaction like the intake's, so it queues at the same gate: left to SQLite's busy handler, posts sent at
        // once slept and retried for the writer, and POSTs took up to 1.4 s under load (docs/performance.md, "The POST path
        // against the disk").
        return await writeGate.RunAsync(async () =>
        {
            // Count and take in one section, so two posts at once (to any instance) cannot both take the last permit.
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            await db.Database.LockSectionAsync(nameof(InquirySubmissionLimiter), cancellationToken);
            // Nothing is kept longer than the window it counts for.
            await db.InquiryPermits.Where(p => p.TakenUtc <= since).ExecuteDeleteAsync(cancellationToken);
            if (await db.InquiryPermits.CountAsync(p => p.ClientHash == hash && p.TakenUtc > since, cancellationToken) >= limits.InquiryPermitLimit)
            {
                return false;
            }

            db.InquiryPermits.Add(new InquiryPermit { ClientHash = hash, TakenUtc = now });
            await db.SaveChangesAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            return true;
        }, cancellationToken);
    }
}
