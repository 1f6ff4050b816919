using KapPractice.Web.Domain;
using KapPractice.Web.Infrastructure.Data;
using KapPractice.Web.Infrastructure.Security;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace KapPractice.Web.Features.Inquiries;

/// <summary>
/// The per-client limit on inquiries that are stored (docs/configuration.md): taken only once a submission has passed
/// validation, so a person correcting mistakes never uses up their allowance. Counted in the database over the last
/// window, so it holds across instances; a client is known there only by a keyed hash of its address. The permit is
/// taken in the intake's own transaction (<see cref="InquiryIntake.TryStoreAsync"/>): saved with the inquiry or not at
/// all, and one pass through the write gate per POST instead of two (docs/performance.md gives what that saves).
/// </summary>
public sealed class InquirySubmissionLimiter(KapDbContext db, IOptions<InquiryRateLimitOptions> options, TimeProvider time)
{
    /// <summary>
    /// Inside the intake's transaction (<see cref="InquiryIntake.TryStoreAsync"/>): takes one permit for this client's
    /// address (added to the context, saved with the inquiry); false when the window's allowance is spent. No
    /// cancellation, as the store takes none.
    /// </summary>
    public async Task<bool> TryTakePermitAsync(HttpContext context)
    {
        // Count and take under the intake's section, so two posts at once (to any instance) cannot both take the last
        // permit. The intake already holds it; taken again, it costs one statement on PostgreSQL (none on SQLite) and holds
        // even if a caller forgot (and throws outside a transaction).
        await db.Database.LockSectionAsync(InquiryIntake.Section, CancellationToken.None);
        var limits = options.Value;
        var now = time.GetUtcNow().UtcDateTime;
        var since = now - limits.InquiryWindow;
        var hash = db.KeyRing.AddressHash(SecuritySetup.ClientKey(context));
        // Nothing is kept longer than the window it counts for.
        await db.InquiryPermits.Where(p => p.TakenUtc <= since).ExecuteDeleteAsync(CancellationToken.None);
        if (await db.InquiryPermits.CountAsync(p => p.ClientHash == hash && p.TakenUtc > since, CancellationToken.None) >= limits.InquiryPermitLimit)
        {
            return false;
        }

        db.InquiryPermits.Add(new InquiryPermit { ClientHash = hash, TakenUtc = now });
        return true;
    }
}
