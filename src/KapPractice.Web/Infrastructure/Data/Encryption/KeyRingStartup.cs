using KapPractice.Web.Domain;
using Microsoft.EntityFrameworkCore;

namespace KapPractice.Web.Infrastructure.Data.Encryption;

/// <summary>The start-up checks of the key ring against the database it must open.</summary>
public static partial class KeyRingStartup
{
    /// <summary>
    /// Stops start-up with a message naming <c>Encryption:KeyDirectory</c> when a key the database needs is missing or
    /// wrong, or when the key folder lies inside the data or backup folder. Creates the first key only for a database that
    /// records none (a new one); a database encrypted before never gets a fresh key silently.
    /// </summary>
    public static async Task VerifyKeysAsync(this KapDbContext db, DataKeyRing ring, DataPaths paths, DateTime nowUtc, ILogger logger, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(ring);
        ArgumentNullException.ThrowIfNull(paths);
        if (IsInside(ring.KeyDirectory, paths.Root))
        {
            throw new EncryptionKeyException($"{DataKeyRing.KeyDirectorySetting} ({ring.KeyDirectory}) is inside Data:Directory ({paths.Root}): a copy or backup of the data folder would carry the key. Point it at a folder outside the data folder.");
        }

        if (IsInside(ring.KeyDirectory, paths.Backups))
        {
            // Backups are the files meant to be copied off the machine; the key must not travel with them.
            throw new EncryptionKeyException($"{DataKeyRing.KeyDirectorySetting} ({ring.KeyDirectory}) is inside Backup:Directory ({paths.Backups}): a backup copied off the machine would carry the key. Point it at a folder outside the backup folder.");
        }

        var records = await db.EncryptionKeys.AsNoTracking().ToListAsync(cancellationToken);
        if (ring.IsEmpty)
        {
            if (records.Count > 0)
            {
                throw new EncryptionKeyException(
                    $"No encryption key was found in {ring.Describe()}, but the database was encrypted with key {string.Join(", ", records.Select(r => r.KeyId))}. " +
                    $"Set {DataKeyRing.KeyDirectorySetting} to the folder that holds it (restore it from your copy); a new key would not open this database.");
            }

            var created = ring.CreateKey(nowUtc);
            LogKeyCreated(logger, created.Name, created.Source);
        }

        foreach (var record in records)
        {
            if (!uint.TryParse(record.KeyId, System.Globalization.NumberStyles.HexNumber, System.Globalization.CultureInfo.InvariantCulture, out var id) || !ring.Contains(id))
            {
                throw new EncryptionKeyException(
                    $"The database was encrypted with key {record.KeyId}, which is not in {ring.Describe()}. Set {DataKeyRing.KeyDirectorySetting} to the folder that holds it (restore it from your copy).");
            }

            if (!ring.Opens(record.Check))
            {
                throw new EncryptionKeyException(
                    $"The key {record.KeyId} in {ring.Describe()} is not the key this database was encrypted with (wrong key). Set {DataKeyRing.KeyDirectorySetting} to the folder that holds the right one.");
            }
        }

        await db.RecordKeyAsync(ring.Current, nowUtc, cancellationToken);
    }

    /// <summary>Records the key (its id and check value) if the database does not know it yet.</summary>
    public static async Task RecordKeyAsync(this KapDbContext db, DataKey key, DateTime nowUtc, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(key);
        if (!await db.EncryptionKeys.AnyAsync(k => k.KeyId == key.Name, cancellationToken))
        {
            db.EncryptionKeys.Add(new EncryptionKeyRecord { KeyId = key.Name, CreatedUtc = nowUtc, Check = DataKeyRing.CheckValue(key) });
            try
            {
                await db.SaveChangesAsync(cancellationToken);
            }
            catch (DbUpdateException exception) when (exception.IsUniqueViolation())
            {
                // Another instance starting at the same moment recorded it first.
                db.ChangeTracker.Clear();
            }
        }
    }

    internal static bool IsInside(string path, string folder)
    {
        var relative = Path.GetRelativePath(Path.GetFullPath(folder), Path.GetFullPath(path));
        return relative == "." || (!relative.StartsWith("..", StringComparison.Ordinal) && !Path.IsPathRooted(relative));
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Created encryption key {KeyId} at {KeyFile}: keep a copy of it apart from the backups, without it they cannot be read")]
    private static partial void LogKeyCreated(ILogger logger, string keyId, string keyFile);
}
