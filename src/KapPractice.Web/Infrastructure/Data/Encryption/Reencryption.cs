using System.Buffers.Binary;
using System.Data.Common;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;

namespace KapPractice.Web.Infrastructure.Data.Encryption;

/// <summary>
/// Rewrites sealed columns in place, in short batches, straight in SQL (the values it reads are not yet what the
/// model's converters expect), so that every value ends up as a bound, padded envelope under the current key: clear
/// values a database from before encryption holds (or a column sealed since, such as the screening outcome), values
/// in the older unbound envelope, and values sealed with an older key after <c>rotate-key</c>. A row changed
/// meanwhile is left for the next pass; a value that does not open is left as it is and counted.
/// </summary>
public sealed partial class ClientDataReencryptor(KapDbContext db, DataKeyRing ring, ILogger<ClientDataReencryptor> logger)
{
    private const int BatchSize = 100;

    /// <summary>SQLite keeps whatever a column was given (clear text in an old file); PostgreSQL's columns are bytea.</summary>
    private bool IsSqlite => db.Database.IsSqlite();

    /// <summary>Seals every value that is not yet a bound envelope under the current key; returns how many rows changed.</summary>
    public async Task<int> ResealAsync(CancellationToken cancellationToken)
    {
        var (changed, unreadable) = await RunAsync(cancellationToken);
        if (unreadable > 0)
        {
            LogUnreadableLeft(logger, unreadable);
        }

        return changed;
    }

    /// <summary>How many rows still hold a value that is not a bound envelope under the current key.</summary>
    public async Task<int> CountToResealAsync(CancellationToken cancellationToken)
    {
        var count = 0;
        await db.Database.OpenConnectionAsync(cancellationToken);
        try
        {
            foreach (var table in ClientDataModel.EncryptedTables(db.Model))
            {
                await using var command = db.Database.GetDbConnection().CreateCommand();
                command.CommandText = $"SELECT count(*) FROM {Quote(table.Name)} WHERE {Needs(table)}";
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

    private async Task<(int Changed, int Unreadable)> RunAsync(CancellationToken cancellationToken)
    {
        var changed = 0;
        var unreadable = 0;
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
                    var rows = await ReadBatchAsync(table, key, after, transaction, cancellationToken);
                    foreach (var row in rows)
                    {
                        var (rewritten, left) = await RewriteAsync(table, row, key, transaction, cancellationToken);
                        changed += rewritten;
                        unreadable += left;
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

        return (changed, unreadable);
    }

    private async Task<List<Row>> ReadBatchAsync(EncryptedTable table, DataKey key, object?[]? after, IDbContextTransaction transaction, CancellationToken cancellationToken)
    {
        var columns = table.Columns.Select(c => c.Name).Concat(table.HashColumn is null ? [] : [table.HashColumn]).ToList();
        var keyList = string.Join(", ", table.Key.Select(Quote));
        await using var command = db.Database.GetDbConnection().CreateCommand();
        command.Transaction = transaction.GetDbTransaction();
        // Keyset paging by the whole primary key: a row value comparison, which both SQLite and PostgreSQL know.
        var from = after is null ? "" : $"({keyList}) > ({string.Join(", ", table.Key.Select((_, i) => $"@after{i}"))}) AND ";
        command.CommandText = $"SELECT {keyList}, {string.Join(", ", columns.Select(Quote))} FROM {Quote(table.Name)} " +
            $"WHERE {from}({Needs(table)}) ORDER BY {keyList} LIMIT {BatchSize}";
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

    private async Task<(int Changed, int Unreadable)> RewriteAsync(EncryptedTable table, Row row, DataKey key, IDbContextTransaction transaction, CancellationToken cancellationToken)
    {
        await using var command = db.Database.GetDbConnection().CreateCommand();
        command.Transaction = transaction.GetDbTransaction();
        var sets = new List<string>();
        var guards = new List<string>();
        var unreadable = 0;
        string? hashSourceText = null;
        var hashSourceChanged = false;
        for (var i = 0; i < table.Columns.Count; i++)
        {
            var column = table.Columns[i];
            var value = row.Values[i];
            string? text;
            try
            {
                text = value switch
                {
                    null => null,
                    byte[] envelope when DataKeyRing.IsEnvelope(envelope) => ring.OpenText(envelope, column.Binding),
                    // A column PostgreSQL turned from text into bytea holds the clear value's UTF-8 bytes.
                    byte[] clear => Encoding.UTF8.GetString(clear),
                    _ => Convert.ToString(value, CultureInfo.InvariantCulture),
                };
            }
            catch (CryptographicException ex)
            {
                ring.ReportUnreadable(column.Binding, ex);
                unreadable++;
                continue;
            }

            var done = value switch
            {
                null => !column.HidesNull,
                byte[] envelope => envelope[0] == DataKeyRing.BoundEnvelopeVersion && DataKeyRing.KeyIdOf(envelope) == key.Id
                    && envelope.Length >= DataKeyRing.EnvelopeOverhead + column.Binding.FixedLength,
                _ => false,
            };
            if (column.Name == table.HashSource)
            {
                hashSourceText = text;
                hashSourceChanged = !done;
            }

            if (done)
            {
                continue;
            }

            sets.Add($"{Quote(column.Name)} = @v{i}");
            guards.Add(value is null ? $"{Quote(column.Name)} IS NULL" : $"{Quote(column.Name)} = @o{i}");
            Add(command, $"@v{i}", DataKeyRing.SealText(key, text, column.Binding));
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
            return (0, unreadable);
        }

        var keyMatch = string.Join(" AND ", table.Key.Select((k, i) => $"{Quote(k)} = @id{i}"));
        command.CommandText = $"UPDATE {Quote(table.Name)} SET {string.Join(", ", sets)} WHERE {keyMatch}{string.Concat(guards.Select(g => " AND " + g))}";
        for (var i = 0; i < row.Key.Length; i++)
        {
            Add(command, $"@id{i}", row.Key[i]!);
        }

        return (await command.ExecuteNonQueryAsync(cancellationToken), unreadable);
    }

    /// <summary>
    /// The SQL condition for a row that needs the pass: a value that is clear, a bare NULL that should be hidden, an
    /// envelope that is not version 2 under the current key (<c>@key</c>), or one of a fixed-length column stored
    /// shorter than its column's length now (sealed before the column's length was raised).
    /// </summary>
    private string Needs(EncryptedTable table)
    {
        var conditions = table.Columns.Select(c =>
        {
            var column = Quote(c.Name);
            var hiddenNull = c.HidesNull ? $"{column} IS NULL OR " : "";
            var shortStored = c.Binding.FixedLength > 0
                ? string.Create(CultureInfo.InvariantCulture, $" OR {(IsSqlite ? "length" : "octet_length")}({column}) < {DataKeyRing.EnvelopeOverhead + c.Binding.FixedLength}")
                : "";
            return IsSqlite
                ? $"{hiddenNull}typeof({column}) IN ('text', 'integer', 'real') OR (typeof({column}) = 'blob' AND (substr({column}, 1, 1) <> x'0{DataKeyRing.BoundEnvelopeVersion}' OR substr({column}, 2, 4) <> @key{shortStored}))"
                : $"{hiddenNull}({column} IS NOT NULL AND (substring({column} from 1 for 1) <> '\\x0{DataKeyRing.BoundEnvelopeVersion}'::bytea OR substring({column} from 2 for 4) <> @key{shortStored}))";
        }).ToList();
        if (table.HashColumn is not null)
        {
            conditions.Add($"({Quote(table.HashColumn)} IS NULL AND {Quote(table.HashSource!)} IS NOT NULL)");
        }

        return string.Join(" OR ", conditions.Select(c => $"({c})"));
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

    [LoggerMessage(Level = LogLevel.Error, Message = "{Count} sealed values could not be read and were left as they are (see the errors naming their columns)")]
    private static partial void LogUnreadableLeft(ILogger logger, int count);
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

    [LoggerMessage(Level = LogLevel.Error, Message = "The database records key(s) {KeyIds}, which this instance does not have in {Where}: it re-seals nothing until the key file is there (README, \"Encryption at rest\")")]
    private static partial void LogKeyMissing(ILogger logger, string keyIds, string where);

    [LoggerMessage(Level = LogLevel.Error, Message = "Key rotation pass failed ({ErrorType}); trying again later")]
    private static partial void LogFailed(ILogger logger, string errorType);
}
