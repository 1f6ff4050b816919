using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using Npgsql;

namespace KapPractice.Tests.Support;

/// <summary>
/// A throwaway PostgreSQL server for the whole test run: <c>initdb</c> into a temporary folder (as the <c>postgres</c>
/// user when the tests run as root, since PostgreSQL refuses root), started on a free loopback port with its socket in
/// that folder, stopped and deleted when the test process ends. Each app gets a database of its own.
/// </summary>
public sealed class PostgreSqlTestServer
{
    private const string SuperUser = "postgres";
    private const string FolderPrefix = "kappractice-pg-";
    private static readonly Lazy<PostgreSqlTestServer> Instance = new(Start, LazyThreadSafetyMode.ExecutionAndPublication);

    private readonly string _folder;
    private readonly string _bin;
    private readonly bool _asPostgresUser;

    private PostgreSqlTestServer(string folder, string bin, bool asPostgresUser, int port)
    {
        _folder = folder;
        _bin = bin;
        _asPostgresUser = asPostgresUser;
        Port = port;
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

    /// <summary>Creates the database if it does not exist yet; returns its connection string.</summary>
    public string EnsureDatabase(string database)
    {
        using var connection = new NpgsqlConnection(ConnectionString("postgres"));
        connection.Open();
        using var exists = new NpgsqlCommand("SELECT 1 FROM pg_database WHERE datname = @name", connection);
        exists.Parameters.AddWithValue("name", database);
        if (exists.ExecuteScalar() is null)
        {
            using var create = new NpgsqlCommand($"CREATE DATABASE \"{database}\"", connection);
            create.ExecuteNonQuery();
        }

        return ConnectionString(database);
    }

    public void DropDatabase(string database)
    {
        NpgsqlConnection.ClearAllPools();
        using var connection = new NpgsqlConnection(ConnectionString("postgres"));
        connection.Open();
        using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{database}\" WITH (FORCE)", connection);
        drop.ExecuteNonQuery();
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
