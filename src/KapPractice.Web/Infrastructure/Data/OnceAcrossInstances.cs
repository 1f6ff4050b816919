using KapPractice.Web.Domain;
using Microsoft.EntityFrameworkCore;

namespace KapPractice.Web.Infrastructure.Data;

/// <summary>
/// "Run once per schedule across instances" (docs/deployment.md): before a scheduled job runs, its instance
/// claims the job's lease for most of one period; another instance whose timer fires meanwhile finds it held and skips
/// that turn. The holder renews its own lease each turn; if it stops, the lease runs out and the next instance to tick
/// takes over. A row lease, so it works the same on SQLite and PostgreSQL.
/// </summary>
public sealed class OnceAcrossInstances(KapDbContext db, TimeProvider time)
{
    /// <summary>This process, as lease holder.</summary>
    public static readonly string InstanceId = $"{Environment.MachineName[..Math.Min(30, Environment.MachineName.Length)]}/{Environment.ProcessId}/{Guid.NewGuid():N}";

    /// <summary>
    /// True when this instance should run <paramref name="job"/> now: it took or renewed the lease for most of
    /// <paramref name="period"/> (nine tenths, so its own next turn finds the lease run out or renewable).
    /// </summary>
    public Task<bool> TryClaimAsync(string job, TimeSpan period, CancellationToken cancellationToken) =>
        TryClaimAsync(job, period, InstanceId, cancellationToken);

    /// <summary>As <see cref="TryClaimAsync(string, TimeSpan, CancellationToken)"/>, for a named holder (tests play two instances).</summary>
    public async Task<bool> TryClaimAsync(string job, TimeSpan period, string holder, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(job);
        var now = time.GetUtcNow().UtcDateTime;
        var until = now + (period * 0.9);
        // One conditional UPDATE: the database decides between two instances claiming at once.
        var taken = await db.ScheduleLeases
            .Where(l => l.Name == job && (l.ExpiresUtc <= now || l.Holder == holder))
            .ExecuteUpdateAsync(s => s.SetProperty(l => l.Holder, holder).SetProperty(l => l.ExpiresUtc, until), cancellationToken);
        if (taken == 1)
        {
            return true;
        }

        if (await db.ScheduleLeases.AnyAsync(l => l.Name == job, cancellationToken))
        {
            return false;
        }

        db.ScheduleLeases.Add(new ScheduleLease { Name = job, Holder = holder, ExpiresUtc = until });
        try
        {
            await db.SaveChangesAsync(cancellationToken);
            return true;
        }
        catch (DbUpdateException)
        {
            // Another instance inserted the first lease for this job a moment before: it runs this turn.
            db.ChangeTracker.Clear();
            return false;
        }
    }
}
