using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Npgsql;

namespace KapPractice.Web.Infrastructure.Data;

/// <summary>What two instances on one database need from it, the same on SQLite and PostgreSQL (docs/deployment.md).</summary>
public static class AcrossInstances
{
    /// <summary>
    /// Inside a transaction: waits until no other instance holds the section <paramref name="name"/>, and holds it
    /// until the transaction ends, so a count-then-insert in it cannot race another instance's. PostgreSQL: an
    /// advisory transaction lock. SQLite: nothing more is needed, a transaction there is already the only writer
    /// (Microsoft.Data.Sqlite begins them IMMEDIATE, and busy_timeout queues the others).
    /// </summary>
    public static async Task LockSectionAsync(this DatabaseFacade database, string name, CancellationToken cancellationToken)
    {
        if (RequireTransaction(database).IsNpgsql())
        {
            await database.ExecuteSqlAsync($"SELECT pg_advisory_xact_lock({SectionKey(name)})", cancellationToken);
        }
    }

    /// <summary>
    /// Inside a transaction: locks an inquiry's row until the transaction ends, so a change that adds to the inquiry
    /// (a booking) either committed before, and is seen, or waits and then finds the inquiry gone. PostgreSQL:
    /// <c>SELECT ... FOR UPDATE</c>. SQLite: the transaction is already the only writer.
    /// </summary>
    public static async Task LockInquiryAsync(this DatabaseFacade database, int inquiryId, CancellationToken cancellationToken)
    {
        if (RequireTransaction(database).IsNpgsql())
        {
            await database.ExecuteSqlAsync($"SELECT 1 FROM \"Inquiries\" WHERE \"Id\" = {inquiryId} FOR UPDATE", cancellationToken);
        }
    }

    /// <summary>True when a save was refused because a row it refers to is gone (deleted meanwhile).</summary>
    public static bool IsForeignKeyViolation(this DbUpdateException exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        return exception.InnerException switch
        {
            // SQLITE_CONSTRAINT_FOREIGNKEY.
            SqliteException sqlite => sqlite.SqliteExtendedErrorCode == 787,
            PostgresException postgres => postgres.SqlState == PostgresErrorCodes.ForeignKeyViolation,
            _ => false,
        };
    }

    /// <summary>True when a save was refused by a unique index or primary key (another instance or request got there first).</summary>
    public static bool IsUniqueViolation(this DbUpdateException exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        return exception.InnerException switch
        {
            // SQLITE_CONSTRAINT_UNIQUE and SQLITE_CONSTRAINT_PRIMARYKEY.
            SqliteException sqlite => sqlite.SqliteExtendedErrorCode is 2067 or 1555,
            PostgresException postgres => postgres.SqlState == PostgresErrorCodes.UniqueViolation,
            _ => false,
        };
    }

    /// <summary>A lock held until the transaction ends needs a transaction: a lock without one would end at once.</summary>
    private static DatabaseFacade RequireTransaction(DatabaseFacade database)
    {
        ArgumentNullException.ThrowIfNull(database);
        return database.CurrentTransaction is null
            ? throw new InvalidOperationException("A lock is held for a transaction: begin one first.")
            : database;
    }

    /// <summary>A stable 64-bit key for a section's name (advisory locks are numbered).</summary>
    private static long SectionKey(string name) =>
        BinaryPrimitives.ReadInt64BigEndian(SHA256.HashData(Encoding.UTF8.GetBytes("kappractice:" + name)));
}
