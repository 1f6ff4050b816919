using System.Reflection;
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

namespace KapPractice.Web.Infrastructure.Data;

public static partial class DataSetup
{
    private static readonly SqliteConnectionSetup ConnectionSetup = new();
    private static readonly RecipientHashStamp RecipientHashStamp = new();

    /// <summary>The migration that turns the clear columns of a database from before encryption into ciphertext.</summary>
    private static readonly string EncryptionMigrationId = typeof(Migrations.EncryptClientDataAtRest).GetCustomAttribute<MigrationAttribute>()!.Id;

    public static WebApplicationBuilder AddData(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        // Resolved after the host is built, so every configuration source (tests included) is seen.
        builder.Services.AddSingleton<DataPaths>();
        builder.Services.AddSingleton<DataKeyRing>();
        builder.Services.AddSingleton<DataFolderLock>();
        builder.Services.AddDbContext<KapDbContext>((services, options) => options
            .UseSqlite(services.GetRequiredService<DataPaths>().ConnectionString)
            .ReplaceService<IModelCacheKeyFactory, KeyRingModelCacheKeyFactory>()
            .AddInterceptors(ConnectionSetup, RecipientHashStamp));
        builder.Services.AddDbContext<PostgreSqlKapDbContext>((services, options) => options
            .UseNpgsql(services.GetRequiredService<DataPaths>().ConnectionString)
            .ReplaceService<IModelCacheKeyFactory, KeyRingModelCacheKeyFactory>()
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
    /// checks the key ring, applies migrations, switches the file to WAL, and encrypts values a database from before
    /// encryption still holds in the clear, then rebuilds that file so none of its free pages keeps clear text. A missing
    /// or wrong key stops here, naming Encryption:KeyDirectory.
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
        bool encryptionMigrated;
        try
        {
            ring.Load();
            // A PostgreSQL database is encrypted from its first migration; only an old SQLite file can hold clear values.
            encryptionMigrated = paths.IsSqlite
                && (await db.Database.GetAppliedMigrationsAsync(cancellationToken)).Any()
                && (await db.Database.GetPendingMigrationsAsync(cancellationToken)).Contains(EncryptionMigrationId);
            await db.Database.MigrateAsync(cancellationToken);
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

        var encrypted = await scope.ServiceProvider.GetRequiredService<ClientDataReencryptor>().ResealAsync(cancellationToken);
        var sealedFiles = KeyRingXmlEncryptor.ResealFiles(paths.DataProtectionKeys, ring);
        if (paths.IsSqlite && (encrypted > 0 || encryptionMigrated))
        {
            // secure_delete only zeroes pages freed from now on: the free pages a database from before encryption
            // already had (rows deleted back then, the clear values just replaced) keep their clear text until the
            // file is rebuilt. VACUUM rewrites it in place (WAL mode stays), the checkpoint empties the WAL.
            await db.Database.ExecuteSqlRawAsync("VACUUM;", cancellationToken);
            await db.Database.CheckpointAsync(cancellationToken);
            OwnerOnlyFiles.Restrict(paths.DatabaseFile!);
            LogEncryptedClearRows(logger, encrypted, sealedFiles);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "The folder {Folder} can be read by other users of this machine: it holds health information or its key. Make it owner-only (chmod 700)")]
    private static partial void LogFolderOpen(ILogger logger, string folder);

    [LoggerMessage(Level = LogLevel.Critical, Message = "Start-up stopped: {Reason}")]
    private static partial void LogStopped(ILogger logger, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Sealed {Rows} rows that held clear values or values in an older, unpadded form ({Files} Data Protection key files sealed) and rebuilt the file (VACUUM) so no earlier free page keeps them")]
    private static partial void LogEncryptedClearRows(ILogger logger, int rows, int files);
}
