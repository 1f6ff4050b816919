using Microsoft.Data.Sqlite;

namespace KapPractice.Web.Infrastructure;

/// <summary>Where the app keeps what it must not lose: the database, the mail pickup folder and the keys.</summary>
public sealed class DataPaths
{
    public DataPaths(IConfiguration configuration, IHostEnvironment environment)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        ArgumentNullException.ThrowIfNull(environment);
        var configured = configuration["Data:Directory"];
        Root = Path.GetFullPath(string.IsNullOrWhiteSpace(configured) ? "App_Data" : configured, environment.ContentRootPath);
        Directory.CreateDirectory(Root);
        ConnectionString = configuration.GetConnectionString("Default") is { Length: > 0 } explicitConnection
            ? explicitConnection
            : new SqliteConnectionStringBuilder { DataSource = Path.Combine(Root, "kappractice.db") }.ToString();
    }

    public string Root { get; }
    public string ConnectionString { get; }
    public string MailPickup => Path.Combine(Root, "mail-pickup");
    public string Keys => Path.Combine(Root, "keys");
}
