using Microsoft.Data.Sqlite;

namespace KapPractice.Web.Infrastructure;

/// <summary>Where the app keeps what it must not lose: the database, the mail pickup folder, the Data Protection keys and the backups.</summary>
public sealed class DataPaths
{
    public DataPaths(IConfiguration configuration, IHostEnvironment environment)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        ArgumentNullException.ThrowIfNull(environment);
        var configured = configuration["Data:Directory"];
        Root = Path.GetFullPath(string.IsNullOrWhiteSpace(configured) ? "App_Data" : configured, environment.ContentRootPath);
        OwnerOnlyFiles.CreateFolder(Root);
        Provider = ReadProvider(configuration[ProviderSetting]);
        var explicitConnection = configuration.GetConnectionString("Default");
        if (Provider == DatabaseProvider.PostgreSql)
        {
            ConnectionString = string.IsNullOrWhiteSpace(explicitConnection)
                ? throw new InvalidOperationException($"{ProviderSetting} is PostgreSql but ConnectionStrings:Default is empty: set it (e.g. Host=localhost;Database=kappractice;Username=kappractice).")
                : explicitConnection;
        }
        else
        {
            ConnectionString = string.IsNullOrWhiteSpace(explicitConnection)
                ? new SqliteConnectionStringBuilder { DataSource = Path.Combine(Root, "kappractice.db") }.ToString()
                : explicitConnection;
            DatabaseFile = Path.GetFullPath(new SqliteConnectionStringBuilder(ConnectionString).DataSource, Root);
        }

        var backups = configuration["Backup:Directory"];
        // Beside the data folder, not inside it: a copy of one is not a copy of the other.
        Backups = string.IsNullOrWhiteSpace(backups)
            ? Path.Combine(Path.GetDirectoryName(Root.TrimEnd(Path.DirectorySeparatorChar)) ?? Root, "backups")
            : Path.GetFullPath(backups, environment.ContentRootPath);
    }

    public const string ProviderSetting = "Database:Provider";

    public string Root { get; }
    public DatabaseProvider Provider { get; }
    public string ConnectionString { get; }

    /// <summary>The SQLite file; null on PostgreSQL, whose files are the server's.</summary>
    public string? DatabaseFile { get; }

    /// <summary>Whether the database file is this machine's own (SQLite): pragmas, checkpoints, file backups and the folder lock apply.</summary>
    public bool IsSqlite => Provider == DatabaseProvider.Sqlite;
    public string MailPickup => Path.Combine(Root, "mail-pickup");
    public string DataProtectionKeys => Path.Combine(Root, "keys");
    public string Backups { get; }

    private static DatabaseProvider ReadProvider(string? value) =>
        string.IsNullOrWhiteSpace(value) ? DatabaseProvider.Sqlite
        : Enum.TryParse<DatabaseProvider>(value, ignoreCase: true, out var provider) && Enum.IsDefined(provider) && !int.TryParse(value, out _) ? provider
        : throw new InvalidOperationException($"{ProviderSetting} is '{value}': use Sqlite (the default) or PostgreSql.");
}

/// <summary>The database engine (docs/deployment.md): one file on this machine, or a server several instances share.</summary>
public enum DatabaseProvider
{
    Sqlite,
    PostgreSql,
}
