using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;

namespace KapPractice.Web.Infrastructure.Data.Encryption;

/// <summary>
/// EF Core caches one model per context type in the whole process; ours holds, in its sealing converters, the seat its
/// key ring sits in (<see cref="ModelKeyRingSeat"/>), so each seat gets its own model. Set by
/// <see cref="KapDbContext"/> itself (OnConfiguring); asked once per context, so it also checks, cheaply, that the seat
/// holds the context's own ring: a mistake in the seats' bookkeeping stops the context instead of sealing with another key.
/// </summary>
public sealed class KeyRingModelCacheKeyFactory : IModelCacheKeyFactory
{
    public object Create(DbContext context, bool designTime)
    {
        if (context is not KapDbContext kap)
        {
            return (context?.GetType(), designTime);
        }

        if (!ReferenceEquals(kap.ModelSeat.Ring, kap.KeyRing))
        {
            throw new InvalidOperationException("This context's model seat holds another key ring.");
        }

        return (context.GetType(), kap.ModelSeat, designTime);
    }
}
