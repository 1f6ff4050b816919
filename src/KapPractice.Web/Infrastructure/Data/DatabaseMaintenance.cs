using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;

namespace KapPractice.Web.Infrastructure.Data;

public static class DatabaseMaintenance
{
    /// <summary>
    /// Copies the WAL into the database file and empties it, so deleted rows (zeroed by secure_delete) leave the
    /// WAL too. Waits for readers (busy_timeout); called after deletions and retention sweeps.
    /// </summary>
    public static async Task CheckpointAsync(this DatabaseFacade database, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(database);
        if (!database.IsSqlite())
        {
            return; // PostgreSQL's server manages its own write-ahead log.
        }

        await database.ExecuteSqlRawAsync("PRAGMA wal_checkpoint(TRUNCATE);", cancellationToken);
    }
}
