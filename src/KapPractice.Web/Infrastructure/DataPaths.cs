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
        ConnectionString = configuration.GetConnectionString("Default") is { Length: > 0 } explicitConnection
            ? explicitConnection
            : new SqliteConnectionStringBuilder { DataSource = Path.Combine(Root, "kappractice.db") }.ToString();
        DatabaseFile = Path.GetFullPath(new SqliteConnectionStringBuilder(ConnectionString).DataSource, Root);
        var backups = configuration["Backup:Directory"];
        // Beside the data folder, not inside it: a copy of one is not a copy of the other.
        Backups = string.IsNullOrWhiteSpace(backups)
            ? Path.Combine(Path.GetDirectoryName(Root.TrimEnd(Path.DirectorySeparatorChar)) ?? Root, "backups")
            : Path.GetFullPath(backups, environment.ContentRootPath);
    }

    public string Root { get; }
    public string ConnectionString { get; }
    public string DatabaseFile { get; }
    public string MailPickup => Path.Combine(Root, "mail-pickup");
    public string DataProtectionKeys => Path.Combine(Root, "keys");
    public string Backups { get; }
}
