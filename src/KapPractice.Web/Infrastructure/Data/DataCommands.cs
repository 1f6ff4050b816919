using KapPractice.Web.Infrastructure.Audit;
using KapPractice.Web.Infrastructure.Data.Encryption;

namespace KapPractice.Web.Infrastructure.Data;

/// <summary>
/// Command-line verbs for the data, run instead of the web server: <c>restore --from PATH</c> (before anything opens
/// the database), <c>backup --to PATH</c> and <c>rotate-key</c> (once the database is ready). docs/operations.md.
/// </summary>
public static class DataCommands
{
    public const string BackupVerb = "backup";
    public const string RestoreVerb = "restore";
    public const string RotateKeyVerb = "rotate-key";

    /// <summary>This file's verbs, for the list an unknown verb prints (Program.Verbs).</summary>
    public static IReadOnlyList<string> VerbNames { get; } = [BackupVerb, RestoreVerb, RotateKeyVerb];

    private const string PostgreSqlBackups = "With Database:Provider=PostgreSql, back up and restore with pg_dump and pg_restore (docs/operations.md).";

    /// <summary>Runs <c>restore</c> if it is the verb; true means the process should exit (see Environment.ExitCode).</summary>
    public static async Task<bool> TryRestoreAsync(IHost app, string[] args)
    {
        ArgumentNullException.ThrowIfNull(app);
        ArgumentNullException.ThrowIfNull(args);
        if (args.Length == 0 || args[0] != RestoreVerb)
        {
            return false;
        }

        var services = app.Services;
        if (!services.GetRequiredService<DataPaths>().IsSqlite)
        {
            await Console.Out.WriteLineAsync(PostgreSqlBackups);
            Environment.ExitCode = 2;
            return true;
        }

        Environment.ExitCode = await DatabaseBackup.RestoreAsync(
            services.GetRequiredService<DataPaths>(), services.GetRequiredService<DataKeyRing>(), CommandLine.Option(args, "--from"), Console.Out);
        return true;
    }

    /// <summary>Runs <c>backup</c> or <c>rotate-key</c> if one is the verb; true means the process should exit.</summary>
    public static async Task<bool> TryRunAsync(IHost app, string[] args)
    {
        ArgumentNullException.ThrowIfNull(app);
        ArgumentNullException.ThrowIfNull(args);
        switch (args.Length == 0 ? null : args[0])
        {
            case BackupVerb:
                Environment.ExitCode = await BackupAsync(app.Services, CommandLine.Option(args, "--to"), Console.Out);
                return true;
            case RotateKeyVerb:
                Environment.ExitCode = await RotateKeyAsync(app.Services, Console.Out);
                return true;
            default:
                return false;
        }
    }

    /// <summary>A consistent, checked, owner-only copy of the database at <paramref name="to"/>, audited. Returns the exit code.</summary>
    public static async Task<int> BackupAsync(IServiceProvider services, string? to, TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(output);
        if (string.IsNullOrWhiteSpace(to))
        {
            await output.WriteLineAsync("Usage: backup --to PATH (a new file); the copy holds client data only as ciphertext and no key.");
            return 2;
        }

        if (!services.GetRequiredService<DataPaths>().IsSqlite)
        {
            await output.WriteLineAsync(PostgreSqlBackups);
            return 2;
        }

        var path = Path.GetFullPath(to);
        long bytes;
        try
        {
            bytes = await DatabaseBackup.CopyAsync(services.GetRequiredService<DataPaths>().ConnectionString, path, CancellationToken.None);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or InvalidDataException)
        {
            await output.WriteLineAsync($"The backup was not written: {ex.Message}");
            return 1;
        }

        await AuditLog.RecordAsync(services, AuditLog.BackupCommandActor, AuditActions.BackupCreated, $"file: {Path.GetFileName(path)}; bytes: {bytes}", CancellationToken.None);
        await output.WriteLineAsync($"Backed up to {path} ({bytes:N0} bytes, integrity check ok). Keep the key folder's copy apart from it.");
        return 0;
    }

    /// <summary>
    /// Starts a new data key: new values are sealed with it at once (in a running site within a minute), and the site
    /// re-encrypts older rows in the background, reading them with the old key until then. Returns the exit code.
    /// </summary>
    public static async Task<int> RotateKeyAsync(IServiceProvider services, TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(output);
        var ring = services.GetRequiredService<DataKeyRing>();
        var now = services.GetRequiredService<TimeProvider>().GetUtcNow().UtcDateTime;
        var old = ring.Current;
        var key = ring.CreateKey(now);
        await using (var scope = services.CreateAsyncScope())
        {
            await scope.ServiceProvider.GetRequiredService<KapDbContext>().RecordKeyAsync(key, now, CancellationToken.None);
        }

        await AuditLog.RecordAsync(services, AuditLog.RotateKeyActor, AuditActions.KeyRotated, $"key: {old.Name} -> {key.Name}", CancellationToken.None);
        services.GetService<KeyRotationService>()?.Nudge();
        await output.WriteLineAsync(
            $"New key {key.Name} written to {key.Source}; it seals new data from now on. The site re-encrypts existing data with it in the background " +
            $"(within a minute while it runs, otherwise when it next starts). Keep the old key {old.Name} for as long as you keep backups made before today.");
        return 0;
    }
}
