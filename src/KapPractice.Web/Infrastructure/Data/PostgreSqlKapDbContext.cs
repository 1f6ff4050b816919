using KapPractice.Web.Infrastructure.Data.Encryption;
using Microsoft.AspNetCore.DataProtection.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;

namespace KapPractice.Web.Infrastructure.Data;

/// <summary>
/// The same model on PostgreSQL, a type of its own so its migrations (Migrations/PostgreSql) are apart from SQLite's,
/// as EF Core's docs describe for several providers. Also holds the Data Protection key ring, so every instance on the
/// database signs and reads the same cookies and form tokens (docs/deployment.md). The EF tools make it from the app's
/// services (Database:Provider does not matter for <c>migrations add</c>, which never connects): docs/operations.md.
/// </summary>
public sealed class PostgreSqlKapDbContext(DbContextOptions<PostgreSqlKapDbContext> options, DataKeyRing keyRing)
    : KapDbContext(options, keyRing), IDataProtectionKeyContext
{
    public DbSet<DataProtectionKey> DataProtectionKeys => Set<DataProtectionKey>();
}
