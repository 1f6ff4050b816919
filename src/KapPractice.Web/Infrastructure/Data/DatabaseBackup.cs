using KapPractice.Web.Domain;
using KapPractice.Web.Infrastructure.Audit;
using System.ComponentModel.DataAnnotations;
using System.Globalization;
using KapPractice.Web.Infrastructure.Data.Encryption;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace KapPractice.Web.Infrastructure.Data;

/// <summary>Scheduled backups of the database (Backup:Directory is resolved by <see cref="DataPaths"/>).</summary>
public sealed class BackupOptions : IValidatableObject
{
    public const string Section = "Backup";

    /// <summary>
    /// The longest wait a .NET timer accepts (<c>uint.MaxValue - 1</c> milliseconds, about 49.7 days): <see cref="BackupService"/>
    /// waits one interval with Task.Delay, which throws for anything longer, and the service would then retry every
    /// few minutes instead of waiting.
    /// </summary>
    public static readonly TimeSpan MaxInterval = TimeSpan.FromMilliseconds(uint.MaxValue - 1);

    /// <summary>How often a backup is taken; 00:00:00 turns scheduled backups off.</summary>
    public TimeSpan Interval { get; set; } = TimeSpan.FromDays(1);

    /// <summary>How many scheduled backups are kept; older ones are deleted.</summary>
    [Range(1, 10_000)]
    public int Keep { get; set; } = 14;

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (Interval < TimeSpan.Zero || Interval > MaxInterval)
        {
            yield return new ValidationResult(
                $"Backup:Interval must be from 00:00:00 (scheduled backups off) to {MaxInterval.ToString("c", CultureInfo.InvariantCulture)} (about 49 days, the longest a timer can wait); it is {Interval.ToString("c", CultureInfo.InvariantCulture)}.",
                [nameof(Interval)]);
        }
    }
}

/// <summary>The audit trail's names for what this folder's code does on its own (no one signed in).</summary>
/// <summary>
/// Consistent copies of the database taken while the site runs (SQLite's online backup API), checked with
/// <c>PRAGMA integrity_check</c> and written owner-only; and the restore of one into an empty data folder. A backup
/// holds client data only as ciphertext and no key.
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

    /// <summary>Off on PostgreSQL: its backups are pg_dump's (README, "PostgreSQL").</summary>
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

    /// <summary>
    /// Restores <paramref name="from"/> into the empty data folder: refuses a folder that holds anything, one a running
    /// site (or command) holds, a file that is not a sound database, and a backup whose key is not on the ring.
    /// Returns the exit code and writes one line of result.
    /// </summary>
    public static async Task<int> RestoreAsync(DataPaths paths, DataKeyRing ring, string? from, TextWriter output, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(paths);
        ArgumentNullException.ThrowIfNull(ring);
        ArgumentNullException.ThrowIfNull(output);
        if (string.IsNullOrWhiteSpace(from))
        {
            await output.WriteLineAsync("Usage: restore --from PATH (a backup file); restores into the empty Data:Directory.");
            return 2;
        }

        from = Path.GetFullPath(from);
        if (!File.Exists(from))
        {
            await output.WriteLineAsync($"There is no backup file at {from}; nothing was restored.");
            return 1;
        }

        using var exclusive = DataFolderLock.TryAcquireExclusive(paths.Root);
        if (exclusive is null)
        {
            await output.WriteLineAsync($"The site (or a command) is running on Data:Directory ({paths.Root}): stop it before restoring; nothing was restored.");
            return 1;
        }

        if (Directory.EnumerateFileSystemEntries(paths.Root).Any(entry => Path.GetFileName(entry) != DataFolderLock.FileName))
        {
            await output.WriteLineAsync($"Data:Directory ({paths.Root}) is not empty: restore only into an empty folder (move the old one aside first); nothing was restored.");
            return 1;
        }

        var source = new SqliteConnectionStringBuilder { DataSource = from, Mode = SqliteOpenMode.ReadOnly, Pooling = false }.ToString();
        string? problem;
        int inquiries;
        try
        {
            (problem, inquiries) = await CheckBackupAsync(source, ring, cancellationToken);
        }
        catch (SqliteException ex)
        {
            (problem, inquiries) = ($"{from} is not a KapPractice database backup (SQLite error {ex.SqliteErrorCode})", 0);
        }

        if (problem is not null)
        {
            await output.WriteLineAsync(problem + "; nothing was restored.");
            return 1;
        }

        await CopyAsync(source, paths.DatabaseFile!, cancellationToken); // SQLite only: the restore verb refuses PostgreSQL
        await output.WriteLineAsync($"Restored {inquiries} inquiries from {from} into {paths.DatabaseFile}. Start the site as usual.");
        return 0;
    }

    private static async Task<(string? Problem, int Inquiries)> CheckBackupAsync(string source, DataKeyRing ring, CancellationToken cancellationToken)
    {
        await using var connection = new SqliteConnection(source);
        await connection.OpenAsync(cancellationToken);
        var check = await ScalarAsync(connection, "PRAGMA integrity_check;", cancellationToken);
        if (check != "ok")
        {
            return ($"The backup failed PRAGMA integrity_check ({check})", 0);
        }

        ring.Load();
        await using (var command = connection.CreateCommand())
        {
            command.CommandText = "SELECT \"KeyId\", \"Check\" FROM \"EncryptionKeys\"";
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                if (!ring.Opens((byte[])reader.GetValue(1)))
                {
                    return ($"The backup was encrypted with key {reader.GetString(0)}, which is not in {ring.Describe()}: set {DataKeyRing.KeyDirectorySetting} to the folder that holds it", 0);
                }
            }
        }

        return (null, int.Parse(await ScalarAsync(connection, "SELECT count(*) FROM \"Inquiries\";", cancellationToken) ?? "0", CultureInfo.InvariantCulture));
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

/// <summary>Takes a backup every Backup:Interval: at start-up when the newest is that old (or there is none), then on time.</summary>
public sealed class BackupService(DatabaseBackup backup, IServiceScopeFactory scopes, TimeProvider time) : BackgroundService
{
    public const string JobName = "backup";

    /// <summary>After a failed backup, the next try comes this soon (or one interval later, if that is sooner).</summary>
    public static readonly TimeSpan RetryAfterFailure = TimeSpan.FromMinutes(10);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var interval = backup.Interval;
        if (interval <= TimeSpan.Zero)
        {
            return;
        }

        backup.StartedUtc = time.GetUtcNow().UtcDateTime;
        var retryAt = (DateTime?)null;
        while (!stoppingToken.IsCancellationRequested)
        {
            var now = time.GetUtcNow().UtcDateTime;
            var newest = backup.List().Select(b => (DateTime?)b.TakenUtc).FirstOrDefault();
            var due = retryAt ?? (newest is { } taken ? taken + interval : now);
            try
            {
                if (due > now)
                {
                    await Task.Delay(due - now, time, stoppingToken);
                }

                retryAt = null;
                await using var scope = scopes.CreateAsyncScope();
                if (await scope.ServiceProvider.GetRequiredService<OnceAcrossInstances>().TryClaimAsync(JobName, interval, stoppingToken))
                {
                    await backup.RunScheduledAsync(stoppingToken);
                }
                else
                {
                    // Another instance holds this turn; look again one interval on.
                    retryAt = time.GetUtcNow().UtcDateTime + interval;
                }
            }
            catch (OperationCanceledException)
            {
                return;
            }
            catch (Exception)
            {
                // Logged and audited by RunScheduledAsync; the health check turns Degraded if it keeps failing.
                retryAt = time.GetUtcNow().UtcDateTime + (interval < RetryAfterFailure ? interval : RetryAfterFailure);
            }
        }
    }
}

/// <summary>/healthz: the age of the newest backup; Degraded when it (or, with none, the service's start) is older than two intervals.</summary>
public sealed class BackupHealthCheck(DatabaseBackup backup, TimeProvider time) : IHealthCheck
{
    public const string Name = "backup";

    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var interval = backup.Interval;
        if (interval <= TimeSpan.Zero)
        {
            return Task.FromResult(HealthCheckResult.Healthy("Scheduled backups are off."));
        }

        var now = time.GetUtcNow().UtcDateTime;
        var newest = backup.List().Select(b => (DateTime?)b.TakenUtc).FirstOrDefault();
        var since = newest ?? backup.StartedUtc ?? now;
        var age = now - since;
        var data = new Dictionary<string, object> { ["ageSeconds"] = (long)age.TotalSeconds };
        if (newest is { } taken)
        {
            data["newestUtc"] = taken;
        }

        return Task.FromResult(age > interval * 2
            ? HealthCheckResult.Degraded(newest is null ? "No backup has been taken." : "The newest backup is older than two intervals.", data: data)
            : HealthCheckResult.Healthy(data: data));
    }
}
