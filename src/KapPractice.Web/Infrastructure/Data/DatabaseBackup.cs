using System.Globalization;
using KapPractice.Web.Infrastructure.Audit;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;

namespace KapPractice.Web.Infrastructure.Data;

/// <summary>
/// Consistent copies of the database taken while the site runs (SQLite's online backup API), checked with
/// <c>PRAGMA integrity_check</c> and written owner-only (the restore of one into an empty data folder is in
/// DatabaseBackup.Restore.cs). A backup holds client data only as ciphertext and no key.
/// </summary>
public sealed partial class DatabaseBackup(DataPaths paths, IOptions<BackupOptions> options, TimeProvider time, IServiceProvider services, ILogger<DatabaseBackup> logger)
{
    public const string FilePrefix = "kappractice-";
    public const string FileSuffix = ".db";
    private const string StampFormat = "yyyyMMdd'T'HHmmss'Z'";

    /// <summary>When the backup service started (the age of "no backup yet" counts from here).</summary>
    public DateTime? StartedUtc { get; internal set; }

    /// <summary>Takes a scheduled backup into Backup:Directory, audits it and deletes the oldest beyond Backup:Keep.</summary>
    public async Task<string> RunScheduledAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow().UtcDateTime;
        var name = FilePrefix + now.ToString(StampFormat, CultureInfo.InvariantCulture) + FileSuffix;
        try
        {
            OwnerOnlyFiles.CreateFolder(paths.Backups);
            var path = Path.Combine(paths.Backups, name);
            var bytes = await CopyAsync(paths.ConnectionString, path, cancellationToken);
            await AuditLog.RecordAsync(services, AuditLog.BackupActor, AuditActions.BackupCreated, $"file: {name}; bytes: {bytes}", cancellationToken);
            var pruned = Prune();
            LogBackedUp(logger, name, bytes, pruned);
            return path;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            LogBackupFailed(logger, ex.GetType().Name);
            await AuditLog.RecordAsync(services, AuditLog.BackupActor, AuditActions.BackupFailed, $"file: {name}; error: {ex.GetType().Name}", CancellationToken.None);
            throw;
        }
    }

    /// <summary>The scheduled backups in Backup:Directory, newest first.</summary>
    public IReadOnlyList<(string Path, DateTime TakenUtc)> List()
    {
        if (!Directory.Exists(paths.Backups))
        {
            return [];
        }

        return [.. Directory.EnumerateFiles(paths.Backups, FilePrefix + "*" + FileSuffix)
            .Select(path => (Path: path, Stamp: Path.GetFileNameWithoutExtension(path)[FilePrefix.Length..]))
            .Where(f => DateTime.TryParseExact(f.Stamp, StampFormat, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out _))
            .Select(f => (f.Path, DateTime.ParseExact(f.Stamp, StampFormat, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal)))
            .OrderByDescending(f => f.Item2)];
    }

    /// <summary>Off on PostgreSQL: its backups are pg_dump's (docs/operations.md).</summary>
    public TimeSpan Interval => paths.IsSqlite ? options.Value.Interval : TimeSpan.Zero;

    private int Prune()
    {
        var pruned = 0;
        foreach (var (path, _) in List().Skip(options.Value.Keep))
        {
            File.Delete(path);
            pruned++;
        }

        return pruned;
    }

    /// <summary>
    /// Copies the database behind <paramref name="connectionString"/> to <paramref name="destination"/> (which must not
    /// exist), through a partial file, owner-only, as one self-contained file that passed integrity_check. Returns its size.
    /// </summary>
    public static async Task<long> CopyAsync(string connectionString, string destination, CancellationToken cancellationToken)
    {
        destination = Path.GetFullPath(destination);
        if (File.Exists(destination))
        {
            throw new IOException($"{destination} already exists; choose a new file name.");
        }

        OwnerOnlyFiles.CreateFolder(Path.GetDirectoryName(destination)!);
        var partial = destination + ".partial";
        foreach (var leftover in new[] { partial, partial + "-journal", partial + "-wal", partial + "-shm" })
        {
            File.Delete(leftover);
        }

        // Owner-only before SQLite opens it: its journal files take the database file's mode.
        OwnerOnlyFiles.EnsureFile(partial);
        var source = new SqliteConnectionStringBuilder(connectionString) { Pooling = false };
        var target = new SqliteConnectionStringBuilder { DataSource = partial, Pooling = false };
        await using (var from = new SqliteConnection(source.ToString()))
        await using (var to = new SqliteConnection(target.ToString()))
        {
            await from.OpenAsync(cancellationToken);
            await to.OpenAsync(cancellationToken);
            await ExecuteAsync(from, "PRAGMA busy_timeout = 10000;", cancellationToken);
            from.BackupDatabase(to);
            await ExecuteAsync(to, "PRAGMA journal_mode = DELETE;", cancellationToken);
            var check = await ScalarAsync(to, "PRAGMA integrity_check;", cancellationToken);
            if (check != "ok")
            {
                throw new InvalidDataException($"The copy failed PRAGMA integrity_check ({check}).");
            }
        }

        File.Move(partial, destination);
        return new FileInfo(destination).Length;
    }


    private static async Task ExecuteAsync(SqliteConnection connection, string sql, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static async Task<string?> ScalarAsync(SqliteConnection connection, string sql, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        return Convert.ToString(await command.ExecuteScalarAsync(cancellationToken), CultureInfo.InvariantCulture);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Backup {BackupFile} written ({Bytes} bytes); {Pruned} older backup(s) deleted")]
    private static partial void LogBackedUp(ILogger logger, string backupFile, long bytes, int pruned);

    [LoggerMessage(Level = LogLevel.Error, Message = "Scheduled backup failed ({ErrorType}); trying again later")]
    private static partial void LogBackupFailed(ILogger logger, string errorType);
}
