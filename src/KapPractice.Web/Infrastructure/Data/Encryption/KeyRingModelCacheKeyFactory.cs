using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;

namespace KapPractice.Web.Infrastructure.Data.Encryption;

/// <summary>
/// EF Core caches one model per context type in the whole process; ours holds, in its sealing converters, the seat its
/// key ring sits in (<see cref="ModelKeyRingSeat"/>), so each seat gets its own model.
/// </summary>
public sealed class KeyRingModelCacheKeyFactory : IModelCacheKeyFactory
{
    public object Create(DbContext context, bool designTime) =>
        context is KapDbContext kap ? (context.GetType(), kap.ModelSeat, designTime) : (context?.GetType(), designTime);
}
