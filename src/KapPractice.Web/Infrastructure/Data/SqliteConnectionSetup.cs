using System.Data.Common;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace KapPractice.Web.Infrastructure.Data;

/// <summary>
/// Lets SQLite itself wait for a busy database, in short native steps, before giving up. Without it
/// Microsoft.Data.Sqlite retries a busy write by sleeping 150 ms at a time, which is what a
/// submission waiting behind the mail dispatcher's write would feel. And zeroes what is deleted
/// (secure_delete), so a deleted inquiry's bytes do not linger in free pages.
/// </summary>
public sealed class SqliteConnectionSetup : DbConnectionInterceptor
{
    /// <summary>How long a statement waits for a busy database; a checkpoint waits less and puts this back (DatabaseMaintenance).</summary>
    public const string BusyTimeoutPragma = "PRAGMA busy_timeout = 10000;";

    private const string Pragmas = BusyTimeoutPragma + " PRAGMA secure_delete = ON;";

    public override void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData)
    {
        ArgumentNullException.ThrowIfNull(connection);
        using var command = connection.CreateCommand();
        command.CommandText = Pragmas;
        command.ExecuteNonQuery();
    }

    public override async Task ConnectionOpenedAsync(DbConnection connection, ConnectionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(connection);
        await using var command = connection.CreateCommand();
        command.CommandText = Pragmas;
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
