using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;

namespace KapPractice.Web.Infrastructure.Data.Encryption;

/// <summary>
/// EF Core caches one model per context type in the whole process; ours captures the key ring in its converters, so
/// each ring (each app instance, as the tests run several) gets its own model.
/// </summary>
public sealed class KeyRingModelCacheKeyFactory : IModelCacheKeyFactory
{
    public object Create(DbContext context, bool designTime) =>
        context is KapDbContext kap ? (context.GetType(), kap.KeyRing, designTime) : (context?.GetType(), designTime);
}
