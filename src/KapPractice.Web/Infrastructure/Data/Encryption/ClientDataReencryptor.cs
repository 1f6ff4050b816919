using System.Buffers.Binary;
using System.Data.Common;
using System.Globalization;
using System.Security.Cryptography;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;

namespace KapPractice.Web.Infrastructure.Data.Encryption;

/// <summary>
/// After <c>rotate-key</c>, rewrites the sealed columns whose values name an older key, in place, in short batches,
/// straight in SQL (a row is walked by its primary key on both providers), so every value ends up sealed under the
/// current key. A row changed meanwhile is left for the next pass; a value that does not open is left as it is and
/// counted.
/// </summary>
public sealed partial class ClientDataReencryptor(KapDbContext db, DataKeyRing ring, ILogger<ClientDataReencryptor> logger)
{
    private const int BatchSize = 100;

    private bool IsSqlite => db.Database.IsSqlite();

    /// <summary>Seals every value that is not yet under the current key; returns how many rows changed.</summary>
    public async Task<int> ResealAsync(CancellationToken cancellationToken)
    {
        var (changed, unreadable) = await RunAsync(cancellationToken);
        if (unreadable > 0)
        {
            LogUnreadableLeft(logger, unreadable);
        }

        return changed;
    }

    /// <summary>How many rows still hold a value that is not under the current key.</summary>
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
        var columns = table.Columns.Select(c => c.Name).ToList();
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
        for (var i = 0; i < table.Columns.Count; i++)
        {
            var column = table.Columns[i];
            var value = row.Values[i];
            // A column NULL (not sealed) or already under the current key stays as it is.
            if (value is not byte[] envelope || DataKeyRing.KeyIdOf(envelope) == key.Id)
            {
                continue;
            }

            string? text;
            try
            {
                text = ring.OpenText(envelope, column.Binding);
            }
            catch (CryptographicException ex)
            {
                ring.ReportUnreadable(column.Binding, ex);
                unreadable++;
                continue;
            }

            if (column.Name == table.HashSource)
            {
                hashSourceText = text;
            }

            sets.Add($"{Quote(column.Name)} = @v{i}");
            guards.Add($"{Quote(column.Name)} = @o{i}");
            Add(command, $"@v{i}", DataKeyRing.SealText(key, text, column.Binding));
            Add(command, $"@o{i}", envelope);
        }

        // The address hash is keyed with the data key too: it follows its source to the current key.
        if (table.HashColumn is not null && hashSourceText is not null)
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
    /// The SQL condition for a row that needs the pass: a value whose envelope names a key other than the current one
    /// (<c>@key</c>: the envelope's bytes 2 to 5, the key id).
    /// </summary>
    private string Needs(EncryptedTable table) =>
        string.Join(" OR ", table.Columns.Select(c => IsSqlite
            ? $"(substr({Quote(c.Name)}, 2, 4) <> @key)"
            : $"(substring({Quote(c.Name)} from 2 for 4) <> @key)"));

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
