using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Storage;

namespace KapPractice.Web.Infrastructure.Data;

public static partial class DatabaseMaintenance
{
    /// <summary>Tries of one checkpoint before it is logged as left for later.</summary>
    public const int CheckpointTries = 3;

    /// <summary>
    /// How long each try waits for readers: shorter than the connection's own busy timeout, because a checkpoint that
    /// waits for readers also holds new writes back (a form being sent), and a reader that outlasts one wait is retried.
    /// </summary>
    public static readonly TimeSpan CheckpointWait = TimeSpan.FromSeconds(1);

    /// <summary>The pause between tries, with nothing held.</summary>
    public static readonly TimeSpan CheckpointPause = TimeSpan.FromMilliseconds(250);

    /// <summary>
    /// Copies the WAL into the database file and empties it, so deleted rows (zeroed by secure_delete) leave the
    /// WAL too; called after deletions, retention sweeps and re-encryption. A reader still on an older snapshot (a
    /// backup being copied, another process) keeps the WAL from being emptied: SQLite then answers busy (the first
    /// column of the row <c>wal_checkpoint</c> returns) rather than an error, so that answer is retried a few times,
    /// then logged as a warning; the next checkpoint (the next deletion or sweep) empties it.
    /// </summary>
    public static async Task CheckpointAsync(this DatabaseFacade database, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(database);
        if (!database.IsSqlite())
        {
            return; // PostgreSQL's server manages its own write-ahead log.
        }

        await database.OpenConnectionAsync(cancellationToken);
        try
        {
            var connection = database.GetDbConnection();
            var transaction = database.CurrentTransaction?.GetDbTransaction();
            await ExecuteAsync(connection, transaction, $"PRAGMA busy_timeout = {(int)CheckpointWait.TotalMilliseconds};", cancellationToken);
            try
            {
                for (var attempt = 1; ; attempt++)
                {
                    var (busy, log, checkpointed) = await TruncateWalAsync(connection, transaction, cancellationToken);
                    if (!busy)
                    {
                        return;
                    }

                    if (attempt == CheckpointTries)
                    {
                        var logger = database.GetService<ILoggerFactory>().CreateLogger(typeof(DatabaseMaintenance).FullName!);
                        LogCheckpointBusy(logger, attempt, log, checkpointed);
                        return;
                    }

                    await Task.Delay(CheckpointPause, cancellationToken);
                }
            }
            finally
            {
                await ExecuteAsync(connection, transaction, SqliteConnectionSetup.BusyTimeoutPragma, CancellationToken.None);
            }
        }
        finally
        {
            await database.CloseConnectionAsync();
        }
    }

    /// <summary>One <c>wal_checkpoint(TRUNCATE)</c>: busy, the WAL's frames, and how many of them reached the database file.</summary>
    private static async Task<(bool Busy, long Log, long Checkpointed)> TruncateWalAsync(DbConnection connection, DbTransaction? transaction, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = "PRAGMA wal_checkpoint(TRUNCATE);";
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken)
            ? (reader.GetInt64(0) != 0, reader.GetInt64(1), reader.GetInt64(2))
            : (false, 0, 0);
    }

    private static async Task ExecuteAsync(DbConnection connection, DbTransaction? transaction, string sql, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "The WAL checkpoint was still busy after {Tries} tries ({Checkpointed} of {Frames} frames copied): another connection is reading an older snapshot. Deleted rows' old pages stay in the WAL until the next checkpoint (the next deletion or retention sweep)")]
    private static partial void LogCheckpointBusy(ILogger logger, int tries, long frames, long checkpointed);
}
