using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.AspNetCore.DataProtection.Repositories;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace KapPractice.Web.Infrastructure.Data;

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
