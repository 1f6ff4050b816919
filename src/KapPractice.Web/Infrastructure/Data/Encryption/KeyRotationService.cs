using System.Globalization;
using Microsoft.EntityFrameworkCore;

namespace KapPractice.Web.Infrastructure.Data.Encryption;

/// <summary>
/// After <c>rotate-key</c> (in this process or another), re-encrypts rows and Data Protection key files sealed with
/// older keys, then forgets those keys (their records and check values go; their files stay for older backups).
/// Looks at the key folder at start and every minute; nudged by the command when it runs in this process.
/// </summary>
public sealed partial class KeyRotationService(IServiceScopeFactory scopes, DataKeyRing ring, DataPaths paths, TimeProvider time, ILogger<KeyRotationService> logger) : BackgroundService
{
    public static readonly TimeSpan CheckInterval = TimeSpan.FromMinutes(1);

    private readonly System.Threading.Channels.Channel<bool> _nudges =
        System.Threading.Channels.Channel.CreateBounded<bool>(new System.Threading.Channels.BoundedChannelOptions(1)
        {
            FullMode = System.Threading.Channels.BoundedChannelFullMode.DropWrite,
        });

    /// <summary>Looks now rather than at the next minute (the rotate-key command run in this process).</summary>
    public void Nudge() => _nudges.Writer.TryWrite(true);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await RunOnceAsync(stoppingToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                // Tried again at the next check; nothing is lost, old keys stay readable.
                LogFailed(logger, ex.GetType().Name);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            using var wake = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
            try
            {
                await Task.WhenAny(_nudges.Reader.ReadAsync(wake.Token).AsTask(), Task.Delay(CheckInterval, time, wake.Token));
            }
            finally
            {
                await wake.CancelAsync();
            }
        }
    }

    /// <summary>
    /// One look: picks up new key files, re-seals whatever is not yet under the current key, and finishes a rotation if
    /// one is under way. Returns true when nothing is left under old keys.
    /// </summary>
    public async Task<bool> RunOnceAsync(CancellationToken cancellationToken)
    {
        ring.Load();
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<KapDbContext>();
        var current = ring.Current;
        var records = await db.EncryptionKeys.AsNoTracking().ToListAsync(cancellationToken);
        var missing = records.Where(r => !uint.TryParse(r.KeyId, NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var id) || !ring.Contains(id)).ToList();
        if (missing.Count > 0)
        {
            // Another instance rotated to a key this one has not been given: sealing its rows back under ours would undo
            // that rotation (and the two would take turns). This one keeps sealing with its key until the file is here,
            // and the instance that has the new key re-seals those rows at its next look.
            LogKeyMissing(logger, string.Join(", ", missing.Select(r => r.KeyId)), ring.Describe());
            return false;
        }

        await db.RecordKeyAsync(current, time.GetUtcNow().UtcDateTime, cancellationToken);
        var old = records.Where(k => k.KeyId != current.Name).ToList();
        var reencryptor = scope.ServiceProvider.GetRequiredService<ClientDataReencryptor>();
        // Every look counts, not only while an older key is recorded: an instance that sealed with the old key after
        // the rotation was declared finished (it had not loaded the new key yet) leaves rows that only this finds.
        if (old.Count == 0 && await reencryptor.CountToResealAsync(cancellationToken) == 0)
        {
            return true;
        }

        var rows = await reencryptor.ResealAsync(cancellationToken);
        var files = db is PostgreSqlKapDbContext shared
            ? await KeyRingXmlDatabase.ResealRowsAsync(shared, ring, cancellationToken)
            : KeyRingXmlEncryptor.ResealFiles(paths.DataProtectionKeys, ring);
        if (await reencryptor.CountToResealAsync(cancellationToken) > 0 || ring.Current.Id != current.Id)
        {
            return false;
        }

        var forget = await db.EncryptionKeys.Where(k => k.KeyId != current.Name).Select(k => k.KeyId).ToListAsync(cancellationToken);
        // A plain DELETE: another instance (or this one's own timer) finishing at the same moment deletes the same rows.
        await db.EncryptionKeys.Where(k => k.KeyId != current.Name).ExecuteDeleteAsync(cancellationToken);
        // Old ciphertext leaves the WAL too, not only the tables.
        await db.Database.CheckpointAsync(cancellationToken);
        LogResealed(logger, forget.Count == 0 ? "none" : string.Join(", ", forget), rows, files, current.Name);
        return true;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Re-sealing finished: key(s) {OldKeys} no longer used ({Rows} rows, {Files} Data Protection files sealed with key {NewKey})")]
    private static partial void LogResealed(ILogger logger, string oldKeys, int rows, int files, string newKey);

    [LoggerMessage(Level = LogLevel.Error, Message = "The database records key(s) {KeyIds}, which this instance does not have in {Where}: it re-seals nothing until the key file is there (docs/operations.md)")]
    private static partial void LogKeyMissing(ILogger logger, string keyIds, string where);

    [LoggerMessage(Level = LogLevel.Error, Message = "Key rotation pass failed ({ErrorType}); trying again later")]
    private static partial void LogFailed(ILogger logger, string errorType);
}
