using System.Buffers.Binary;
using System.Data.Common;
using System.Globalization;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;

namespace KapPractice.Web.Infrastructure.Data.Encryption;

/// <summary>
/// Rewrites encrypted columns in place, in short batches, straight in SQL (the values it reads are not yet what the
/// model's converters expect): clear values a database from before encryption holds, and values sealed with an
/// older key after <c>rotate-key</c>. A row changed meanwhile is left for the next pass.
/// </summary>
public sealed class ClientDataReencryptor(KapDbContext db, DataKeyRing ring)
{
    private const int BatchSize = 100;

    /// <summary>SQLite keeps whatever a column was given (clear text in an old file); PostgreSQL's columns are bytea from the start.</summary>
    private bool IsSqlite => db.Database.IsSqlite();

    /// <summary>Encrypts every clear value (and hides every bare NULL that should be hidden); returns how many rows changed.</summary>
    public Task<int> EncryptClearValuesAsync(CancellationToken cancellationToken) => RunAsync(oldKeys: false, cancellationToken);

    /// <summary>Re-encrypts every value sealed with another key than the current one; returns how many rows changed.</summary>
    public Task<int> ReencryptOldKeysAsync(CancellationToken cancellationToken) => RunAsync(oldKeys: true, cancellationToken);

    /// <summary>How many rows still hold a value sealed with another key than the current one.</summary>
    public async Task<int> CountUnderOldKeysAsync(CancellationToken cancellationToken)
    {
        var count = 0;
        await db.Database.OpenConnectionAsync(cancellationToken);
        try
        {
            foreach (var table in ClientDataModel.EncryptedTables(db.Model))
            {
                await using var command = db.Database.GetDbConnection().CreateCommand();
                command.CommandText = $"SELECT count(*) FROM {Quote(table.Name)} WHERE {Needs(table, oldKeys: true)}";
                Add(command, "@key", KeyIdBytes(ring.Current.Id));
                count += Convert.ToInt32(await command.ExecuteScalarAsync(cancellationToken), CultureInfo.InvariantCulture);
            }
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }

        return count;
    }

    private async Task<int> RunAsync(bool oldKeys, CancellationToken cancellationToken)
    {
        var changed = 0;
        var key = ring.Current;
        await db.Database.OpenConnectionAsync(cancellationToken);
        try
        {
            foreach (var table in ClientDataModel.EncryptedTables(db.Model))
            {
                object?[]? after = null;
                while (true)
                {
                    await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
                    var rows = await ReadBatchAsync(table, oldKeys, key, after, transaction, cancellationToken);
                    foreach (var row in rows)
                    {
                        changed += await RewriteAsync(table, row, key, transaction, cancellationToken);
                    }

                    await transaction.CommitAsync(cancellationToken);
                    if (rows.Count < BatchSize)
                    {
                        break;
                    }

                    after = rows[^1].Key;
                }
            }
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }

        return changed;
    }

    private async Task<List<Row>> ReadBatchAsync(EncryptedTable table, bool oldKeys, DataKey key, object?[]? after, IDbContextTransaction transaction, CancellationToken cancellationToken)
    {
        var columns = table.Columns.Select(c => c.Name).Concat(table.HashColumn is null ? [] : [table.HashColumn]).ToList();
        var keyList = string.Join(", ", table.Key.Select(Quote));
        await using var command = db.Database.GetDbConnection().CreateCommand();
        command.Transaction = transaction.GetDbTransaction();
        // Keyset paging by the whole primary key: a row value comparison, which both SQLite and PostgreSQL know.
        var from = after is null ? "" : $"({keyList}) > ({string.Join(", ", table.Key.Select((_, i) => $"@after{i}"))}) AND ";
        command.CommandText = $"SELECT {keyList}, {string.Join(", ", columns.Select(Quote))} FROM {Quote(table.Name)} " +
            $"WHERE {from}({Needs(table, oldKeys)}) ORDER BY {keyList} LIMIT {BatchSize}";
        for (var i = 0; after is not null && i < after.Length; i++)
        {
            Add(command, $"@after{i}", after[i] ?? DBNull.Value);
        }

        Add(command, "@key", KeyIdBytes(key.Id));
        var rows = new List<Row>();
        var keys = table.Key.Count;
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            var keyValues = new object?[keys];
            for (var i = 0; i < keys; i++)
            {
                keyValues[i] = reader.GetValue(i);
            }

            var values = new object?[columns.Count];
            for (var i = 0; i < columns.Count; i++)
            {
                values[i] = reader.IsDBNull(i + keys) ? null : reader.GetValue(i + keys);
            }

            rows.Add(new Row(keyValues, values));
        }

        return rows;
    }

    private async Task<int> RewriteAsync(EncryptedTable table, Row row, DataKey key, IDbContextTransaction transaction, CancellationToken cancellationToken)
    {
        await using var command = db.Database.GetDbConnection().CreateCommand();
        command.Transaction = transaction.GetDbTransaction();
        var sets = new List<string>();
        var guards = new List<string>();
        string? hashSourceText = null;
        var hashSourceChanged = false;
        for (var i = 0; i < table.Columns.Count; i++)
        {
            var column = table.Columns[i];
            var value = row.Values[i];
            byte[]? replacement = value switch
            {
                null when column.HidesNull => DataKeyRing.ProtectText(key, null),
                null => null,
                byte[] envelope when DataKeyRing.KeyIdOf(envelope) == key.Id => null,
                byte[] envelope => DataKeyRing.Protect(key, ring.Unprotect(envelope)),
                _ => DataKeyRing.ProtectText(key, Convert.ToString(value, CultureInfo.InvariantCulture)),
            };
            if (column.Name == table.HashSource)
            {
                hashSourceText = value switch
                {
                    null => null,
                    byte[] envelope => ring.UnprotectText(envelope),
                    _ => Convert.ToString(value, CultureInfo.InvariantCulture),
                };
                hashSourceChanged = replacement is not null;
            }

            if (replacement is null)
            {
                continue;
            }

            sets.Add($"{Quote(column.Name)} = @v{i}");
            guards.Add(value is null ? $"{Quote(column.Name)} IS NULL" : $"{Quote(column.Name)} = @o{i}");
            Add(command, $"@v{i}", replacement);
            if (value is not null)
            {
                Add(command, $"@o{i}", value);
            }
        }

        if (table.HashColumn is not null && hashSourceText is not null && (hashSourceChanged || row.Values[^1] is null))
        {
            sets.Add($"{Quote(table.HashColumn)} = @hash");
            Add(command, "@hash", DataKeyRing.AddressHash(key, hashSourceText));
        }

        if (sets.Count == 0)
        {
            return 0;
        }

        var keyMatch = string.Join(" AND ", table.Key.Select((k, i) => $"{Quote(k)} = @id{i}"));
        command.CommandText = $"UPDATE {Quote(table.Name)} SET {string.Join(", ", sets)} WHERE {keyMatch}{string.Concat(guards.Select(g => " AND " + g))}";
        for (var i = 0; i < row.Key.Length; i++)
        {
            Add(command, $"@id{i}", row.Key[i]!);
        }

        return await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>The SQL condition for a row that needs this pass.</summary>
    private string Needs(EncryptedTable table, bool oldKeys)
    {
        var conditions = !IsSqlite
            ? table.Columns.Select(c => oldKeys
                ? $"substring({Quote(c.Name)} from 2 for 4) <> @key"
                : c.HidesNull ? $"{Quote(c.Name)} IS NULL" : "false").ToList()
            : table.Columns.Select(c => oldKeys
            ? $"(typeof({Quote(c.Name)}) = 'blob' AND substr({Quote(c.Name)}, 2, 4) <> @key)"
            : c.HidesNull
                ? $"typeof({Quote(c.Name)}) IN ('text', 'integer', 'real', 'null')"
                : $"typeof({Quote(c.Name)}) IN ('text', 'integer', 'real')").ToList();
        if (!oldKeys && table.HashColumn is not null)
        {
            conditions.Add($"({Quote(table.HashColumn)} IS NULL AND {Quote(table.HashSource!)} IS NOT NULL)");
        }

        return string.Join(" OR ", conditions);
    }

    private static byte[] KeyIdBytes(uint id)
    {
        var bytes = new byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(bytes, id);
        return bytes;
    }

    private static string Quote(string identifier) => "\"" + identifier.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";

    private static void Add(DbCommand command, string name, object value)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = name;
        parameter.Value = value;
        command.Parameters.Add(parameter);
    }

    private sealed record Row(object?[] Key, object?[] Values);
}

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

    /// <summary>One look: picks up new key files, and finishes a rotation if one is under way. Returns true when nothing is left under old keys.</summary>
    public async Task<bool> RunOnceAsync(CancellationToken cancellationToken)
    {
        ring.Load();
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<KapDbContext>();
        var current = ring.Current;
        await db.RecordKeyAsync(current, time.GetUtcNow().UtcDateTime, cancellationToken);
        var old = await db.EncryptionKeys.Where(k => k.KeyId != current.Name).ToListAsync(cancellationToken);
        if (old.Count == 0)
        {
            return true;
        }

        var reencryptor = scope.ServiceProvider.GetRequiredService<ClientDataReencryptor>();
        var rows = await reencryptor.ReencryptOldKeysAsync(cancellationToken);
        var files = db is PostgreSqlKapDbContext shared
            ? await KeyRingXmlDatabase.ResealRowsAsync(shared, ring, cancellationToken)
            : KeyRingXmlEncryptor.ResealFiles(paths.DataProtectionKeys, ring);
        if (await reencryptor.CountUnderOldKeysAsync(cancellationToken) > 0 || ring.Current.Id != current.Id)
        {
            return false;
        }

        db.EncryptionKeys.RemoveRange(old);
        await db.SaveChangesAsync(cancellationToken);
        // Old ciphertext leaves the WAL too, not only the tables.
        await db.Database.CheckpointAsync(cancellationToken);
        var oldNames = string.Join(", ", old.Select(k => k.KeyId));
        LogRetired(logger, oldNames, rows, files, current.Name);
        return true;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Key rotation finished: key(s) {OldKeys} no longer used ({Rows} rows, {Files} Data Protection files re-encrypted with key {NewKey})")]
    private static partial void LogRetired(ILogger logger, string oldKeys, int rows, int files, string newKey);

    [LoggerMessage(Level = LogLevel.Error, Message = "Key rotation pass failed ({ErrorType}); trying again later")]
    private static partial void LogFailed(ILogger logger, string errorType);
}
