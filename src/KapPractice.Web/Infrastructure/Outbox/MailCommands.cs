using System.Security.Cryptography;
using KapPractice.Web.Infrastructure.Data;
using KapPractice.Web.Infrastructure.Email;

namespace KapPractice.Web.Infrastructure.Outbox;

/// <summary>
/// <c>read-mail --file PATH</c>: writes the message a pickup-folder file holds to standard output, opened with the data
/// key when sealed, for a site that keeps its mail in the pickup folder on purpose (README, "No SMTP server yet").
/// Audited, as opening an inquiry in the admin area is. Here, not in Email, because it opens with the data key and
/// writes the audit trail (both Data).
/// </summary>
public static class MailCommands
{
    public const string ReadMailVerb = "read-mail";
    public const string ReadMailActor = "read-mail command";
    public const string MailRead = "mail-read";

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

        await using var output = Console.OpenStandardOutput();
        Environment.ExitCode = await ReadMailAsync(app.Services, CommandLine.Option(args, "--file"), output, Console.Error);
        return true;
    }

    /// <summary>Writes the message in <paramref name="file"/> to <paramref name="output"/>; problems go to <paramref name="error"/>. Returns the exit code.</summary>
    public static async Task<int> ReadMailAsync(IServiceProvider services, string? file, Stream output, TextWriter error)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(error);
        var folder = services.GetRequiredService<MailPickupFolder>();
        if (string.IsNullOrWhiteSpace(file))
        {
            await error.WriteLineAsync($"Usage: {ReadMailVerb} --file PATH (a file in {folder.Folder}); the message is written to standard output.");
            return CommandLine.UsageExitCode;
        }

        var path = Path.GetFullPath(file);
        byte[] message;
        try
        {
            message = await folder.ReadAsync(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            await error.WriteLineAsync($"{path} cannot be read ({ex.GetType().Name}).");
            return 1;
        }
        catch (CryptographicException ex)
        {
            // The message names the key and where keys are looked for, never the content.
            await error.WriteLineAsync($"{path} cannot be opened: {ex.Message}");
            return 1;
        }

        var now = services.GetRequiredService<TimeProvider>().GetUtcNow().UtcDateTime;
        await DataAudit.AddAsync(services, now, ReadMailActor, MailRead, $"file: {Path.GetFileName(path)}", CancellationToken.None);
        await output.WriteAsync(message);
        await output.FlushAsync();
        return 0;
    }
}
