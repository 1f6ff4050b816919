using System.Globalization;
using KapPractice.Web.Infrastructure.Data.Encryption;
using Microsoft.Data.Sqlite;

namespace KapPractice.Web.Infrastructure.Data;

/// <summary>The restore of a backup into an empty data folder (the <c>restore</c> verb).</summary>
public sealed partial class DatabaseBackup
{
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
}
