using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using KapPractice.Web.Features.AdminShell;
using KapPractice.Web.Infrastructure.Data;
using KapPractice.Web.Infrastructure.Data.Encryption;
using Microsoft.EntityFrameworkCore;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting.Internal;
using Npgsql;

namespace KapPractice.Tests.Support;

/// <summary>
/// A throwaway PostgreSQL server for the whole test run: <c>initdb</c> into a temporary folder (as the <c>postgres</c>
/// user when the tests run as root, since PostgreSQL refuses root), started on a free loopback port with its socket in
/// that folder, stopped and deleted when the test process ends. Each app gets a database of its own, a copy of a template
/// the site's migrations made once per test process (<see cref="MakeMigratedTemplate"/>).
/// </summary>
public sealed class PostgreSqlTestServer
{
    private const string SuperUser = "postgres";
    private const string FolderPrefix = "kappractice-pg-";
    private const string TemplateDatabaseName = "kap_migrated_template";
    private static readonly Lazy<PostgreSqlTestServer> Instance = new(Start, LazyThreadSafetyMode.ExecutionAndPublication);

    private readonly string _folder;
    private readonly string _bin;
    private readonly bool _asPostgresUser;
    private readonly Lazy<string> _migratedTemplate;

    private PostgreSqlTestServer(string folder, string bin, bool asPostgresUser, int port)
    {
        _folder = folder;
        _bin = bin;
        _asPostgresUser = asPostgresUser;
        Port = port;
        _migratedTemplate = new(MakeMigratedTemplate, LazyThreadSafetyMode.ExecutionAndPublication);
    }

    public static PostgreSqlTestServer Shared => Instance.Value;

    public int Port { get; }

    /// <summary>The connection string of <paramref name="database"/> on this server.</summary>
    public string ConnectionString(string database) => new NpgsqlConnectionStringBuilder
    {
        Host = "127.0.0.1",
        Port = Port,
        Username = SuperUser,
        Database = database,
    }.ToString();

    /// <summary>The database for an app's data folder: apps that share a data folder (a restart) share the database, as they would the SQLite file.</summary>
    public static string DatabaseNameFor(string dataDirectory) =>
        "kap_" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(Path.GetFullPath(dataDirectory))))[..20];

    /// <summary>
    /// Creates the database if it does not exist yet, as a copy of the migrated template, or with <paramref name="empty"/> as
    /// an empty database whose first app migrates it (<c>FirstStartTests</c>); returns its connection string.
    /// </summary>
    public string EnsureDatabase(string database, bool empty = false)
    {
        using var connection = new NpgsqlConnection(ConnectionString("postgres"));
        connection.Open();
        using var exists = new NpgsqlCommand("SELECT 1 FROM pg_database WHERE datname = @name", connection);
        exists.Parameters.AddWithValue("name", database);
        if (exists.ExecuteScalar() is null)
        {
            var template = empty ? null : _migratedTemplate.Value;
            // FILE_COPY (PostgreSQL 15 and later) copies the template's files; the default strategy writes every block through
            // the WAL, which took the server about two and a half times the CPU per database (docs/performance.md).
            using var create = new NpgsqlCommand(
                template is null ? $"CREATE DATABASE \"{database}\"" : $"CREATE DATABASE \"{database}\" TEMPLATE \"{template}\" STRATEGY FILE_COPY",
                connection);
            create.ExecuteNonQuery();
        }

        return ConnectionString(database);
    }

    /// <summary>
    /// Makes, once per test process, a database with the site's schema and the migrations' history (and the rows the
    /// migrations themselves insert, none sealed), by running the site's migrations for PostgreSqlKapDbContext. Every app's
    /// database is then a file copy of it, which its start-up finds up to date; making and migrating a database for each app
    /// was most of what the PostgreSQL server spent in the tests (docs/performance.md, "Test run time"). Each app still
    /// makes its own keys and seeds its own content at start. A model change needs nothing here: the template is made anew
    /// from the compiled migrations on every run.
    /// </summary>
    private string MakeMigratedTemplate()
    {
        ExecuteOnServer($"CREATE DATABASE \"{TemplateDatabaseName}\"");

        // A ring with no key (its folder does not exist): the migrations seal nothing, and a write that tried would throw here.
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            [DataKeyRing.KeyDirectorySetting] = Path.Combine(Path.GetTempPath(), "kappractice-template-has-no-keys-" + Guid.NewGuid().ToString("N")),
        }).Build();
        using (var ring = new DataKeyRing(configuration, new HostingEnvironment { ContentRootPath = Path.GetTempPath() }))
        {
            // No pooled connection may stay open on a template: CREATE DATABASE … TEMPLATE refuses one that has sessions.
            var unpooled = new NpgsqlConnectionStringBuilder(ConnectionString(TemplateDatabaseName)) { Pooling = false }.ToString();
            // The model reads Identity's store options from the app's services, so the template gets the app's own
            // (AdminSetup.ConfigureStore). It must be the app's model: EF Core keeps it for the next app on this ring's seat
            // (ModelKeyRingSeat), and Migrate stops here if it differs from the migrations' (the pending-model-changes check).
            using var identity = new ServiceCollection()
                .AddIdentityCore<IdentityUser>(options => AdminSetup.ConfigureStore(options.Stores)).Services
                .BuildServiceProvider();
            var options = new DbContextOptionsBuilder<PostgreSqlKapDbContext>().UseNpgsql(unpooled).UseApplicationServiceProvider(identity).Options;
            using var db = new PostgreSqlKapDbContext(options, ring);
            db.Database.Migrate();
        }

        ExecuteOnServer($"ALTER DATABASE \"{TemplateDatabaseName}\" WITH IS_TEMPLATE true ALLOW_CONNECTIONS false");

        return TemplateDatabaseName;
    }

    public void DropDatabase(string database)
    {
        NpgsqlConnection.ClearAllPools();
        ExecuteOnServer($"DROP DATABASE IF EXISTS \"{database}\" WITH (FORCE)");
    }

    /// <summary>Runs one statement on the server's own database.</summary>
    private void ExecuteOnServer(string sql)
    {
        using var connection = new NpgsqlConnection(ConnectionString("postgres"));
        connection.Open();
        using var command = new NpgsqlCommand(sql, connection);
        command.ExecuteNonQuery();
    }

    private static PostgreSqlTestServer Start()
    {
        var bin = Directory.Exists("/usr/lib/postgresql")
            ? Directory.GetDirectories("/usr/lib/postgresql")
                .Select(v => Path.Combine(v, "bin"))
                .Where(b => File.Exists(Path.Combine(b, "initdb")) && File.Exists(Path.Combine(b, "pg_ctl")))
                .OrderByDescending(b => int.TryParse(Path.GetFileName(Path.GetDirectoryName(b)), out var version) ? version : 0)
                .FirstOrDefault()
            : null;
        if (bin is null)
        {
            throw new InvalidOperationException(
                "The PostgreSQL tests need the server binaries (initdb, pg_ctl under /usr/lib/postgresql/N/bin): `.ci/run` installs them (apt-get install postgresql).");
        }

        if (int.TryParse(Path.GetFileName(Path.GetDirectoryName(bin)), out var major) && major < 15)
        {
            throw new InvalidOperationException(
                $"The PostgreSQL tests need PostgreSQL 15 or later (they copy their databases with CREATE DATABASE … STRATEGY FILE_COPY); the newest here is {major} ({bin}).");
        }

        var asPostgresUser = Environment.UserName == "root";
        DeleteLeftovers();
        var folder = Path.Combine(Path.GetTempPath(), FolderPrefix + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(folder);
        if (asPostgresUser)
        {
            Run("chown", ["postgres:postgres", folder], asPostgresUser: false);
        }

        var port = FreePort();
        var server = new PostgreSqlTestServer(folder, bin, asPostgresUser, port);
        var data = Path.Combine(folder, "data");
        server.Run(Path.Combine(bin, "initdb"), ["-D", data, "-U", SuperUser, "-A", "trust", "-E", "UTF8", "--locale=C", "--no-sync"]);
        // Throwaway data: no fsync, so many small test databases are quick to create and write.
        var options = $"-p {port.ToString(CultureInfo.InvariantCulture)} -k {folder} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=300";
        server.Run(Path.Combine(bin, "pg_ctl"), ["start", "-w", "-t", "120", "-D", data, "-l", Path.Combine(folder, "server.log"), "-o", options]);
        AppDomain.CurrentDomain.ProcessExit += (_, _) => server.Stop();
        return server;
    }

    /// <summary>Folders of earlier runs whose server is gone (a test process killed before it could delete its own).</summary>
    private static void DeleteLeftovers()
    {
        foreach (var folder in Directory.EnumerateDirectories(Path.GetTempPath(), FolderPrefix + "*"))
        {
            if (!File.Exists(Path.Combine(folder, "data", "postmaster.pid")))
            {
                try
                {
                    Directory.Delete(folder, recursive: true);
                }
                catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
                {
                    // Another user's, or still in use: left for later.
                }
            }
        }
    }

    private void Stop()
    {
        try
        {
            NpgsqlConnection.ClearAllPools();
            Run(Path.Combine(_bin, "pg_ctl"), ["stop", "-m", "immediate", "-D", Path.Combine(_folder, "data")]);
        }
        finally
        {
            Directory.Delete(_folder, recursive: true);
        }
    }

    private void Run(string program, string[] arguments) => Run(program, arguments, _asPostgresUser);

    private static void Run(string program, string[] arguments, bool asPostgresUser)
    {
        var start = new ProcessStartInfo(asPostgresUser ? "runuser" : program)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        if (asPostgresUser)
        {
            foreach (var argument in new[] { "-u", "postgres", "--", program })
            {
                start.ArgumentList.Add(argument);
            }
        }

        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        // pg_ctl leaves the server holding its output handles: read to the end only what initdb and stop print.
        var output = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromMinutes(3)) || process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{Path.GetFileName(program)} {string.Join(' ', arguments)} failed: {(output.IsCompleted ? output.Result : "(no answer)")}");
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
