using KapPractice.Web.Infrastructure;
using KapPractice.Web.Infrastructure.Data;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace KapPractice.Tests.Support;

/// <summary>
/// The app as the tests host it: a production-like environment, its own folders (data with a real
/// SQLite file and mail pickup folder, encryption keys and backups beside it) that are deleted
/// afterwards, and settings and services a test can override before the first request. Scheduled
/// backups are off unless a test turns them on (Backup:Interval). On PostgreSQL, a database of its own on the shared
/// throwaway server (<see cref="PostgreSqlTestServer"/>), named after the data folder, copied from a migrated template
/// unless it exists already, and dropped afterwards.
/// </summary>
public class KapPracticeFactory : WebApplicationFactory<Program>
{
    private readonly Dictionary<string, string?> _settings = new(StringComparer.OrdinalIgnoreCase);
    private readonly List<Action<IServiceCollection>> _serviceOverrides = [];
    private string? _createdDatabase;

    /// <summary>SQLite unless set (xunit wants a class fixture to have one public constructor).</summary>
    public DatabaseProvider Provider { get; init; }

    /// <summary>
    /// The PBKDF2 rounds a stored password costs in this app: few, unless a test sets null for the product's own
    /// (<c>AdminSetup.PasswordHashIterations</c>, checked by <c>AdminAccessTests</c>). At the product's count every created
    /// account and sign-in cost about a sixth of a second of a core, a sixth of the integration suite's CPU time
    /// (docs/performance.md, "Test run time"); what the tests check of hashing (that a wrong, unknown or locked account is
    /// hashed once: counted, never timed) holds at any count. A test that would time hashing needs null. The sign-in's
    /// decoy hash for unknown addresses is made once per process, by the first app that needs it, at that app's count.
    /// </summary>
    public int? PasswordHashIterations { get; init; } = 1_000;

    /// <summary>The host's environment: "Testing" (which behaves as production does) unless a test needs another.</summary>
    public string EnvironmentName { get; init; } = "Testing";

    /// <summary>Holds the data, key and backup folders of this app.</summary>
    public string RootDirectory { get; } = Path.Combine(Path.GetTempPath(), "kappractice-tests", Guid.NewGuid().ToString("N"));

    public string DataDirectory => _settings.TryGetValue("Data:Directory", out var data) && data is not null ? data : Path.Combine(RootDirectory, "data");

    public string KeyDirectory => _settings.TryGetValue("Encryption:KeyDirectory", out var keys) && keys is not null ? keys : Path.Combine(RootDirectory, "keys");

    public string BackupDirectory => Path.Combine(RootDirectory, "backups");

    public string DatabaseFile => Path.Combine(DataDirectory, "kappractice.db");

    /// <summary>Sets a configuration value (e.g. "Email:Smtp:Host"); call before the first request.</summary>
    public KapPracticeFactory WithSetting(string key, string? value)
    {
        _settings[key] = value;
        return this;
    }

    /// <summary>Replaces services (e.g. a FakeTimeProvider); call before the first request.</summary>
    public KapPracticeFactory WithServices(Action<IServiceCollection> configure)
    {
        _serviceOverrides.Add(configure);
        return this;
    }

    /// <summary>Points this app at <paramref name="other"/>'s database and key folder: a second instance of the same site. Call before the first request.</summary>
    public KapPracticeFactory SharingDatabaseWith(KapPracticeFactory other)
    {
        ArgumentNullException.ThrowIfNull(other);
        WithSetting("Encryption:KeyDirectory", other.KeyDirectory);
        return Provider == DatabaseProvider.PostgreSql
            ? WithSetting("ConnectionStrings:Default", PostgreSqlTestServer.Shared.ConnectionString(PostgreSqlTestServer.DatabaseNameFor(other.DataDirectory)))
            : WithSetting("Data:Directory", other.DataDirectory);
    }

    /// <summary>Runs a query or change against the app's own database.</summary>
    public async Task<T> WithDbAsync<T>(Func<KapDbContext, Task<T>> action)
    {
        ArgumentNullException.ThrowIfNull(action);
        await using var scope = Services.CreateAsyncScope();
        return await action(scope.ServiceProvider.GetRequiredService<KapDbContext>());
    }

    /// <summary>
    /// Puts the database back as it was when the app had just started (migrated, seeded, its keys made), so tests that share
    /// one app see none of each other's rows. The first call takes the snapshot; every later call restores it: on SQLite with
    /// the online backup API (a copy of the started file), on PostgreSQL by emptying every table and copying the snapshot's
    /// rows back. What the app keeps in memory (its keys, rate-limit windows, caches) is not touched: a test that needs those
    /// fresh gets an app of its own.
    /// </summary>
    public async Task ResetAsync()
    {
        _ = Services; // the app has started: migrated, seeded, its keys made
        await _resetLock.WaitAsync();
        try
        {
            if (Provider == DatabaseProvider.PostgreSql)
            {
                await ResetPostgreSqlAsync();
            }
            else
            {
                ResetSqlite();
            }

            // The site's copy of the pages is rebuilt from the database as it now is, as every instance does after a change.
            await Services.GetRequiredService<KapPractice.Web.Features.Content.PublishedContent>().RefreshAsync(CancellationToken.None);
        }
        finally
        {
            _resetLock.Release();
        }
    }

    private readonly SemaphoreSlim _resetLock = new(1, 1);
    private bool _snapshotTaken;

    private string SnapshotFile => Path.Combine(RootDirectory, "snapshot.db");

    private void ResetSqlite()
    {
        using var live = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={DatabaseFile};Pooling=False");
        using var snapshot = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={SnapshotFile};Pooling=False");
        live.Open();
        snapshot.Open();
        if (_snapshotTaken)
        {
            // Ids carry on from where they were, as on PostgreSQL: an id is never used twice in one app's life, so nothing
            // the app keeps outside the database (pickup files named by outbox id, what its jobs remember) meets an old id again.
            var sequences = new List<(string Table, long Last)>();
            using (var read = live.CreateCommand())
            {
                read.CommandText = "SELECT name, seq FROM sqlite_sequence";
                using var reader = read.ExecuteReader();
                while (reader.Read())
                {
                    sequences.Add((reader.GetString(0), reader.GetInt64(1)));
                }
            }

            CopyWhenNotBusy(snapshot, live);
            foreach (var (table, last) in sequences)
            {
                using var write = live.CreateCommand();
                write.CommandText = "DELETE FROM sqlite_sequence WHERE name = $name; INSERT INTO sqlite_sequence (name, seq) VALUES ($name, $seq)";
                write.Parameters.AddWithValue("$name", table);
                write.Parameters.AddWithValue("$seq", last);
                write.ExecuteNonQuery();
            }
        }
        else
        {
            CopyWhenNotBusy(live, snapshot);
            _snapshotTaken = true;
        }
    }

    /// <summary>The app's own jobs (the outbox, its checkpoints) may hold the write lock for a moment: try again until they let go.</summary>
    private static void CopyWhenNotBusy(Microsoft.Data.Sqlite.SqliteConnection from, Microsoft.Data.Sqlite.SqliteConnection to)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                from.BackupDatabase(to);
                return;
            }
            catch (Microsoft.Data.Sqlite.SqliteException e) when (e.SqliteErrorCode is 5 or 6 && attempt < 200)
            {
                Thread.Sleep(50);
            }
        }
    }

    private async Task ResetPostgreSqlAsync()
    {
        await using var scope = Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<KapDbContext>();
        var connection = (Npgsql.NpgsqlConnection)db.Database.GetDbConnection();
        await connection.OpenAsync();
        var tables = new List<string>();
        await using (var list = new Npgsql.NpgsqlCommand(
            "SELECT quote_ident(table_name) FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE' AND table_name <> '__EFMigrationsHistory' ORDER BY table_name",
            connection))
        await using (var reader = await list.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                tables.Add(reader.GetString(0));
            }
        }

        var sql = new System.Text.StringBuilder();
        if (!_snapshotTaken)
        {
            sql.Append("DROP SCHEMA IF EXISTS test_snapshot CASCADE; CREATE SCHEMA test_snapshot;");
            foreach (var table in tables)
            {
                sql.Append(System.Globalization.CultureInfo.InvariantCulture, $"CREATE TABLE test_snapshot.{table} AS TABLE public.{table};");
            }

            _snapshotTaken = true;
        }
        else
        {
            // Foreign keys are not checked while the rows go back (the snapshot was consistent); identities carry on from where they were.
            // DELETE rather than TRUNCATE: TRUNCATE gives every table and index a new file and unlinks the old at commit, file
            // work that was a large part of what PostgreSQL spent on these small tables (docs/performance.md, "Test run time").
            // The lock is TRUNCATE's: it waits for a write of the app's own jobs still under way, whose rows a DELETE that
            // started before its commit would not see, and keeps new ones out until the snapshot is back.
            sql.Append("BEGIN; SET LOCAL session_replication_role = replica;");
            sql.Append(System.Globalization.CultureInfo.InvariantCulture, $"LOCK TABLE {string.Join(", ", tables.Select(t => "public." + t))} IN ACCESS EXCLUSIVE MODE;");
            foreach (var table in tables)
            {
                sql.Append(System.Globalization.CultureInfo.InvariantCulture, $"DELETE FROM public.{table};");
                sql.Append(System.Globalization.CultureInfo.InvariantCulture, $"INSERT INTO public.{table} OVERRIDING SYSTEM VALUE SELECT * FROM test_snapshot.{table};");
            }

            sql.Append("COMMIT;");
        }

#pragma warning disable CA2100 // table names come from the database's own catalogue, quoted by quote_ident
        await using var command = new Npgsql.NpgsqlCommand(sql.ToString(), connection);
#pragma warning restore CA2100
        await command.ExecuteNonQueryAsync();
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.UseEnvironment(EnvironmentName);

        builder.ConfigureAppConfiguration(configuration =>
        {
            var settings = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase)
            {
                ["Data:Directory"] = Path.Combine(RootDirectory, "data"),
                ["Encryption:KeyDirectory"] = Path.Combine(RootDirectory, "keys"),
                ["Backup:Directory"] = BackupDirectory,
                ["Backup:Interval"] = "00:00:00",
                // Mail goes to the pickup folder unless a test sets Email:Smtp:Host (docs/operations.md).
                ["Email:AllowPickupFolder"] = "true",
            };
            foreach (var (key, value) in _settings)
            {
                settings[key] = value;
            }

            if (Provider == DatabaseProvider.PostgreSql)
            {
                settings["Database:Provider"] = "PostgreSql";
                if (!_settings.ContainsKey("ConnectionStrings:Default"))
                {
                    var database = PostgreSqlTestServer.DatabaseNameFor(DataDirectory);
                    settings["ConnectionStrings:Default"] = PostgreSqlTestServer.Shared.EnsureDatabase(database);
                    // A database of a data folder a test chose itself (a restart) stays for the next app, until the server goes.
                    _createdDatabase = _settings.ContainsKey("Data:Directory") ? null : database;
                }
            }

            configuration.AddInMemoryCollection(settings);
        });
        builder.ConfigureTestServices(services =>
        {
            if (PasswordHashIterations is { } rounds)
            {
                services.PostConfigure<Microsoft.AspNetCore.Identity.PasswordHasherOptions>(options => options.IterationCount = rounds);
            }

            foreach (var configure in _serviceOverrides)
            {
                configure(services);
            }
        });
    }

    /// <summary>
    /// Starts the host. With KAP_TEST_HOST_LOG set to a file, each start appends one line (provider, factory type, how long the start took, and up to three test classes or helpers found on the stack: see WhoAsked),
    /// so a run's host count can be read off afterwards.
    /// </summary>
    protected override IHost CreateHost(IHostBuilder builder)
    {
        if (Environment.GetEnvironmentVariable("KAP_TEST_HOST_LOG") is not { Length: > 0 } log)
        {
            return base.CreateHost(builder);
        }

        var started = System.Diagnostics.Stopwatch.StartNew();
        var host = base.CreateHost(builder);
        File.AppendAllText(log, System.FormattableString.Invariant($"{Provider} {GetType().Name} {started.ElapsedMilliseconds} ms {WhoAsked()}{Environment.NewLine}"));
        return host;
    }

    /// <summary>
    /// The test classes and helpers on the stack that started this app, nearest first: after its first await a test's own
    /// frame is gone and only the helper that awaited (MailHarness, StoredInquiries…) is left.
    /// </summary>
    private static string WhoAsked() => string.Join(" / ", new System.Diagnostics.StackTrace().GetFrames()
        .Select(frame => frame.GetMethod()?.DeclaringType?.FullName)
        .Where(name => name is not null
            && (name.Contains("IntegrationTests", StringComparison.Ordinal)
                || (name.StartsWith("KapPractice.Tests.Support", StringComparison.Ordinal) && !name.Contains("Factory", StringComparison.Ordinal))))
        .Take(3));

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (disposing)
        {
            DeleteDataDirectory();
        }
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        DeleteDataDirectory();
        GC.SuppressFinalize(this);
    }

    private void DeleteDataDirectory()
    {
        if (_createdDatabase is { } database)
        {
            _createdDatabase = null;
            PostgreSqlTestServer.Shared.DropDatabase(database);
        }

        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try
        {
            if (Directory.Exists(RootDirectory))
            {
                Directory.Delete(RootDirectory, recursive: true);
            }
        }
        catch (IOException)
        {
            // A file still open by a late background write: the temp folder is cleaned by the OS.
        }
    }
}
