using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.AspNetCore.DataProtection.Repositories;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace KapPractice.Web.Infrastructure.Data;

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

public static class DataSetup
{
    private static readonly SqliteConnectionSetup ConnectionSetup = new();

    public static WebApplicationBuilder AddData(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        // Resolved after the host is built, so every configuration source (tests included) is seen.
        builder.Services.AddSingleton<DataPaths>();
        builder.Services.AddDbContext<KapDbContext>((services, options) => options
            .UseSqlite(services.GetRequiredService<DataPaths>().ConnectionString)
            .AddInterceptors(ConnectionSetup));

        builder.Services.AddDataProtection().SetApplicationName("KapPractice");
        builder.Services.AddSingleton<IConfigureOptions<KeyManagementOptions>>(services =>
            new ConfigureOptions<KeyManagementOptions>(options => options.XmlRepository = new FileSystemXmlRepository(
                new DirectoryInfo(services.GetRequiredService<DataPaths>().Keys),
                services.GetRequiredService<ILoggerFactory>())));
        return builder;
    }

    /// <summary>Applies migrations and switches the file to WAL, so readers never wait on the writer.</summary>
    public static async Task MigrateDatabaseAsync(this IServiceProvider services, CancellationToken cancellationToken = default)
    {
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<KapDbContext>();
        await db.Database.MigrateAsync(cancellationToken);
        await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;", cancellationToken);
    }
}
