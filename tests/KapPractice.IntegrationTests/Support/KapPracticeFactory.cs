using KapPractice.Web.Infrastructure;
using KapPractice.Web.Infrastructure.Data;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace KapPractice.Tests.Support;

/// <summary>
/// The app as the tests host it: a production-like environment, its own folders (data with a real
/// SQLite file and mail pickup folder, encryption keys and backups beside it) that are deleted
/// afterwards, and settings and services a test can override before the first request. Scheduled
/// backups are off unless a test turns them on (Backup:Interval). On PostgreSQL, a database of its own on the shared
/// throwaway server (<see cref="PostgreSqlTestServer"/>), named after the data folder and dropped afterwards.
/// </summary>
public class KapPracticeFactory : WebApplicationFactory<Program>
{
    private readonly Dictionary<string, string?> _settings = new(StringComparer.OrdinalIgnoreCase);
    private readonly List<Action<IServiceCollection>> _serviceOverrides = [];
    private string? _createdDatabase;

    /// <summary>SQLite unless set (xunit wants a class fixture to have one public constructor).</summary>
    public DatabaseProvider Provider { get; init; }

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
                // Mail goes to the pickup folder unless a test sets Email:Smtp:Host (README, "No SMTP server yet").
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
            foreach (var configure in _serviceOverrides)
            {
                configure(services);
            }
        });
    }

    /// <summary>
    /// Starts the host. With KAP_TEST_HOST_LOG set to a file, each start appends one line (provider and the test class that asked),
    /// so a run's host count can be read off afterwards.
    /// </summary>
    protected override IHost CreateHost(IHostBuilder builder)
    {
        if (Environment.GetEnvironmentVariable("KAP_TEST_HOST_LOG") is { Length: > 0 } log)
        {
            File.AppendAllText(log, $"{Provider} {GetType().Name}{Environment.NewLine}");
        }

        return base.CreateHost(builder);
    }

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
