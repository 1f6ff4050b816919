using KapPractice.Web.Infrastructure.Data.Encryption;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.EntityFrameworkCore;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.AspNetCore.DataProtection.Repositories;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Npgsql;

namespace KapPractice.Web.Infrastructure.Data;

public static partial class DataSetup
{
    private static readonly SqliteConnectionSetup ConnectionSetup = new();
    private static readonly RecipientHashStamp RecipientHashStamp = new();

    public static WebApplicationBuilder AddData(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        // Resolved after the host is built, so every configuration source (tests included) is seen.
        builder.Services.AddSingleton<DataPaths>();
        builder.Services.AddSingleton<DataKeyRing>();
        builder.Services.AddSingleton<DataFolderLock>();
        builder.Services.AddDbContext<KapDbContext>((services, options) => options
            .UseSqlite(services.GetRequiredService<DataPaths>().ConnectionString)
            .AddInterceptors(ConnectionSetup, RecipientHashStamp));
        builder.Services.AddDbContext<PostgreSqlKapDbContext>((services, options) => options
            .UseNpgsql(services.GetRequiredService<DataPaths>().ConnectionString)
            .AddInterceptors(RecipientHashStamp));
        // Everything asks for KapDbContext; Database:Provider decides which one it gets (read once the host is built).
        builder.Services.Replace(ServiceDescriptor.Scoped<KapDbContext>(services => services.GetRequiredService<DataPaths>().IsSqlite
            ? new KapDbContext(services.GetRequiredService<DbContextOptions<KapDbContext>>(), services.GetRequiredService<DataKeyRing>())
            : services.GetRequiredService<PostgreSqlKapDbContext>()));
        builder.Services.AddScoped<ClientDataReencryptor>();
        builder.Services.AddScoped<OnceAcrossInstances>();
        builder.Services.AddSingleton<KeyRotationService>();
        builder.Services.AddHostedService(services => services.GetRequiredService<KeyRotationService>());

        builder.Services.AddOptions<BackupOptions>().BindConfiguration(BackupOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddSingleton<DatabaseBackup>();
        builder.Services.AddHostedService<BackupService>();
        builder.Services.AddHealthChecks().AddCheck<BackupHealthCheck>(BackupHealthCheck.Name);

        builder.Services.AddDataProtection().SetApplicationName("KapPractice");
        builder.Services.AddSingleton<IConfigureOptions<KeyManagementOptions>>(services =>
            new ConfigureOptions<KeyManagementOptions>(options =>
            {
                var paths = services.GetRequiredService<DataPaths>();
                // On PostgreSQL the keys live in the database, so every instance accepts what another issued.
                options.XmlRepository = paths.IsSqlite
                    ? new OwnerOnlyXmlRepository(new DirectoryInfo(paths.DataProtectionKeys), services.GetRequiredService<ILoggerFactory>())
                    : new EntityFrameworkCoreXmlRepository<PostgreSqlKapDbContext>(services, services.GetRequiredService<ILoggerFactory>());
                // The cookie- and token-signing keys are sealed with the data key, like the database.
                options.XmlEncryptor = new KeyRingXmlEncryptor(services.GetRequiredService<DataKeyRing>());
            }));
        return builder;
    }

    /// <summary>
    /// Readies the data before anything uses it: holds the data folder, warns about folders others can read, loads and
    /// checks the key ring, applies pending migrations (the migrator is not run when none is) and switches the file to
    /// WAL. A missing or wrong key stops here, naming Encryption:KeyDirectory. Values sealed with an older key after
    /// <c>rotate-key</c> are re-sealed by <see cref="KeyRotationService"/>, which looks as soon as the site runs.
    /// </summary>
    public static async Task PrepareDataAsync(this IServiceProvider services, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(services);
        var paths = services.GetRequiredService<DataPaths>();
        var ring = services.GetRequiredService<DataKeyRing>();
        var logger = services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(DataSetup).FullName!);
        if (paths.IsSqlite)
        {
            services.GetRequiredService<DataFolderLock>().AcquireShared();
        }

        foreach (var folder in new[] { paths.Root, ring.KeyDirectory, paths.MailPickup, paths.DataProtectionKeys, paths.Backups })
        {
            if (OwnerOnlyFiles.IsOpenToOthers(folder))
            {
                LogFolderOpen(logger, folder);
            }
        }

        // Owner-only before SQLite first opens it: its -wal and -shm files take the database file's mode.
        if (paths.DatabaseFile is { } file && Directory.Exists(Path.GetDirectoryName(file)))
        {
            OwnerOnlyFiles.EnsureFile(file);
        }

        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<KapDbContext>();
        try
        {
            ring.Load();
            if (!paths.IsSqlite)
            {
                await CreateMigrationHistoryAsync(db, cancellationToken);
            }

            // MigrateAsync runs only when a migration is pending (a fresh data folder, or an update that brings one): its
            // HasPendingModelChanges check of the model against the migrations' snapshot took 165–185 ms of every restart
            // (docs/performance.md). That check catches a model changed without its migration; the tests' fresh SQLite apps
            // and the PostgreSQL tests' template still make it.
            var pending = await db.Database.GetPendingMigrationsAsync(cancellationToken);
            if (pending.Any())
            {
                await db.Database.MigrateAsync(cancellationToken);
            }

            if (paths.IsSqlite)
            {
                await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;", cancellationToken);
            }

            await db.VerifyKeysAsync(ring, paths, services.GetRequiredService<TimeProvider>().GetUtcNow().UtcDateTime, logger, cancellationToken);
        }
        catch (EncryptionKeyException ex)
        {
            // One plain line before the stack trace: what to fix, and where.
            LogStopped(logger, ex.Message);
            throw;
        }
    }

    /// <summary>
    /// Makes the migration history table on PostgreSQL, as the migrator would. Npgsql's migrator reads that table before
    /// it makes it, so on an empty database that first read fails and EF Core logs the failure as an error on the first
    /// start, though nothing is wrong. Two instances starting at the same moment may both try: the second's "already
    /// there" is the outcome wanted.
    /// </summary>
    private static async Task CreateMigrationHistoryAsync(KapDbContext db, CancellationToken cancellationToken)
    {
        try
        {
            await db.Database.ExecuteSqlRawAsync(db.GetService<IHistoryRepository>().GetCreateIfNotExistsScript(), cancellationToken);
        }
        catch (PostgresException ex) when (ex.SqlState is PostgresErrorCodes.UniqueViolation or PostgresErrorCodes.DuplicateTable)
        {
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "The folder {Folder} can be read by other users of this machine: it holds health information or its key. Make it owner-only (chmod 700)")]
    private static partial void LogFolderOpen(ILogger logger, string folder);

    [LoggerMessage(Level = LogLevel.Critical, Message = "Start-up stopped: {Reason}")]
    private static partial void LogStopped(ILogger logger, string reason);
}
