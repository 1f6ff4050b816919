using KapPractice.Web.Domain;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace KapPractice.Web.Infrastructure.Data.Encryption;

/// <summary>Stamps each new outbox row with the keyed hash of its recipient before it is saved.</summary>
public sealed class RecipientHashStamp : SaveChangesInterceptor
{
    public override InterceptionResult<int> SavingChanges(DbContextEventData eventData, InterceptionResult<int> result)
    {
        Stamp(eventData?.Context);
        return result;
    }

    public override ValueTask<InterceptionResult<int>> SavingChangesAsync(DbContextEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default)
    {
        Stamp(eventData?.Context);
        return ValueTask.FromResult(result);
    }

    private static void Stamp(DbContext? context)
    {
        if (context is not KapDbContext db)
        {
            return;
        }

        foreach (var entry in db.ChangeTracker.Entries<OutboxMessage>())
        {
            if (entry.State == EntityState.Added || (entry.State == EntityState.Modified && entry.Property(m => m.Recipient).IsModified))
            {
                entry.Property<byte[]>(ClientDataModel.RecipientHash).CurrentValue = db.KeyRing.AddressHash(entry.Entity.Recipient);
            }
        }
    }
}

public static class RecipientQueries
{
    /// <summary>Whether a message of this kind went to the address (in any letter case) after <paramref name="sinceUtc"/>, found by its keyed hash.</summary>
    public static async Task<bool> AnySentToSinceAsync(this KapDbContext db, OutboxKind kind, string address, DateTime sinceUtc, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        foreach (var hash in db.KeyRing.AddressHashes(address))
        {
            if (await db.OutboxMessages.AnyAsync(
                m => m.Kind == kind && EF.Property<byte[]>(m, ClientDataModel.RecipientHash) == hash && m.CreatedUtc > sinceUtc,
                cancellationToken))
            {
                return true;
            }
        }

        return false;
    }
}
