using KapPractice.Web.Infrastructure.Audit;
using System.Security.Cryptography;
using KapPractice.Web.Infrastructure.Data;
using KapPractice.Web.Infrastructure.Email;

namespace KapPractice.Web.Infrastructure.Outbox;

/// <summary>
/// <c>read-mail --file PATH --to PATH</c>: writes the message a pickup-folder file holds to a new owner-only file, opened
/// with the data key when sealed, for a site that keeps its mail in the pickup folder on purpose (docs/operations.md). A file, not standard output, because the site's log lines also go to standard output and would corrupt the
/// message. Audited, as opening an inquiry in the admin area is. Here, not in Email, because it opens with the data key
/// and writes the audit trail (both Data).
/// </summary>
public static class MailCommands
{
    public const string ReadMailVerb = "read-mail";

    /// <summary>This file's verbs, for the list an unknown verb prints (Program.Verbs).</summary>
    public static IReadOnlyList<string> VerbNames { get; } = [ReadMailVerb];

    /// <summary>Runs <c>read-mail</c> if it is the verb; true means the process should exit (see Environment.ExitCode).</summary>
    public static async Task<bool> TryRunAsync(IHost app, string[] args)
    {
        ArgumentNullException.ThrowIfNull(app);
        ArgumentNullException.ThrowIfNull(args);
        if (args.Length == 0 || args[0] != ReadMailVerb)
        {
            return false;
        }

        Environment.ExitCode = await ReadMailAsync(app.Services, CommandLine.Option(args, "--file"), CommandLine.Option(args, "--to"), Console.Out);
        return true;
    }

    /// <summary>Writes the message in <paramref name="file"/> to the new file <paramref name="to"/>; one line of result. Returns the exit code.</summary>
    public static async Task<int> ReadMailAsync(IServiceProvider services, string? file, string? to, TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(output);
        var folder = services.GetRequiredService<MailPickupFolder>();
        if (string.IsNullOrWhiteSpace(file) || string.IsNullOrWhiteSpace(to))
        {
            await output.WriteLineAsync($"Usage: {ReadMailVerb} --file PATH (a file in {folder.Folder}) --to PATH (a new file for the message, in the clear).");
            return CommandLine.UsageExitCode;
        }

        var path = Path.GetFullPath(file);
        var destination = Path.GetFullPath(to);
        if (File.Exists(destination))
        {
            await output.WriteLineAsync($"{destination} already exists; choose a new file name. Nothing was written.");
            return 1;
        }

        byte[] message;
        try
        {
            message = await folder.ReadAsync(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            await output.WriteLineAsync($"{path} cannot be read ({ex.GetType().Name}). Nothing was written.");
            return 1;
        }
        catch (CryptographicException ex)
        {
            // The message names the key and where keys are looked for, never the content.
            await output.WriteLineAsync($"{path} cannot be opened: {ex.Message} Nothing was written.");
            return 1;
        }

        await AuditLog.RecordAsync(services, AuditLog.ReadMailActor, AuditActions.MailRead, $"file: {Path.GetFileName(path)}", CancellationToken.None);
        try
        {
            // Only a new file (O_EXCL): one made, or a link put there, since the check above is not written through.
            await using var written = OwnerOnlyFiles.Create(destination, onlyNew: true);
            await written.WriteAsync(message);
        }
        catch (IOException ex)
        {
            await output.WriteLineAsync($"{destination} could not be written as a new file ({ex.GetType().Name}); choose a new file name.");
            return 1;
        }

        await output.WriteLineAsync($"Wrote the message in {Path.GetFileName(path)} to {destination} ({message.Length:N0} bytes, owner-only). It is in the clear: delete it once read.");
        return 0;
    }
}
