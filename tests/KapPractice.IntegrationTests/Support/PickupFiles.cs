using KapPractice.Web.Infrastructure.Email;
using Microsoft.Extensions.DependencyInjection;
using MimeKit;

namespace KapPractice.Tests.Support;

/// <summary>The app's mail pickup folder as the tests read it: files by outbox row, and messages opened through the app (sealed outside Development).</summary>
public static class PickupFiles
{
    public static string FolderOf(KapPracticeFactory app)
    {
        ArgumentNullException.ThrowIfNull(app);
        return Path.Combine(app.DataDirectory, "mail-pickup");
    }

    /// <summary>Every file of these outbox rows, whole or half-written, sealed or plain.</summary>
    public static string[] Of(KapPracticeFactory app, IEnumerable<int> outboxIds)
    {
        var folder = FolderOf(app);
        var ids = outboxIds.ToHashSet();
        return Directory.Exists(folder)
            ? [.. Directory.GetFiles(folder).Where(f => MailPickupFolder.OutboxIdOf(Path.GetFileName(f)) is { } id && ids.Contains(id))]
            : [];
    }

    /// <summary>The whole messages of these outbox rows (not those being written).</summary>
    public static string[] MessagesOf(KapPracticeFactory app, IEnumerable<int> outboxIds) =>
        [.. Of(app, outboxIds).Where(f => !f.EndsWith(MailPickupFolder.PartialSuffix, StringComparison.Ordinal))];

    /// <summary>The whole messages in the folder (not those being written).</summary>
    public static string[] Messages(KapPracticeFactory app)
    {
        var folder = FolderOf(app);
        return Directory.Exists(folder)
            ? [.. Directory.GetFiles(folder).Where(f => f.EndsWith(MailPickupFolder.SealedExtension, StringComparison.Ordinal) || f.EndsWith(MailPickupFolder.ClearExtension, StringComparison.Ordinal))]
            : [];
    }

    /// <summary>The message a file holds, as the read-mail command opens it.</summary>
    public static async Task<byte[]> ReadAsync(KapPracticeFactory app, string path)
    {
        ArgumentNullException.ThrowIfNull(app);
        return await app.Services.GetRequiredService<MailPickupFolder>().ReadAsync(path);
    }

    public static async Task<MimeMessage> OpenAsync(KapPracticeFactory app, string path)
    {
        using var stream = new MemoryStream(await ReadAsync(app, path));
        return await MimeMessage.LoadAsync(stream);
    }
}
