using System.Globalization;

namespace KapPractice.Web.Infrastructure.Email;

/// <summary>
/// Seals and opens a pickup file's bytes with the data key, as the database's client data is sealed (docs/security.md). Implemented in Outbox, where the data key is known: Email never refers to Data.
/// </summary>
public interface IMailFileSeal
{
    byte[] Seal(ReadOnlySpan<byte> message);

    /// <summary>Throws a CryptographicException naming the key when the ring does not hold it.</summary>
    byte[] Open(ReadOnlySpan<byte> sealedMessage);
}

/// <summary>
/// The pickup folder's files, named <c>{UTC stamp}-{outbox id}.eml.sealed</c> (outside Development: the message sealed
/// with the data key, so a copy of the data folder shows no client's answers) or <c>{UTC stamp}-{outbox id}.eml</c> (in
/// Development: plain, for any mail client). Written by <see cref="PickupFolderTransport"/>, opened by the read-mail
/// command, deleted with their inquiry by outbox id (they hold every answer), whichever transport is configured now.
/// </summary>
public sealed class MailPickupFolder(DataPaths paths, IHostEnvironment environment, IMailFileSeal seal, ILogger<MailPickupFolder> logger)
{
    public const string ClearExtension = ".eml";
    public const string SealedExtension = ".eml.sealed";

    /// <summary>A file being written; renamed into place once whole, so a reader of the folder never sees half a message.</summary>
    public const string PartialSuffix = ".tmp";

    public string Folder { get; } = paths?.MailPickup ?? throw new ArgumentNullException(nameof(paths));

    /// <summary>Outside Development every file is sealed; in Development (a laptop, made-up inquiries) it stays a plain .eml.</summary>
    public bool SealsFiles { get; } = !(environment ?? throw new ArgumentNullException(nameof(environment))).IsDevelopment();

    public string PathFor(DateTimeOffset now, int outboxId) =>
        Path.Combine(Folder, $"{now.UtcDateTime.ToString("yyyyMMdd'T'HHmmssfff'Z'", CultureInfo.InvariantCulture)}-{outboxId}{(SealsFiles ? SealedExtension : ClearExtension)}");

    /// <summary>Writes the message (sealed outside Development) owner-only through a partial file; returns its path.</summary>
    public async Task<string> WriteAsync(OutgoingMail mail, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(mail);
        var path = PathFor(now, mail.OutboxId);
        byte[] bytes;
        using (var message = new MemoryStream())
        {
            await mail.Message.WriteToAsync(message, cancellationToken);
            bytes = SealsFiles ? seal.Seal(message.GetBuffer().AsSpan(0, (int)message.Length)) : message.ToArray();
        }

        await WriteFileAsync(path, bytes, cancellationToken);
        return path;
    }

    /// <summary>The message a pickup file holds, opened with the data key when it is sealed.</summary>
    public async Task<byte[]> ReadAsync(string path, CancellationToken cancellationToken = default)
    {
        var bytes = await File.ReadAllBytesAsync(path, cancellationToken);
        return path.EndsWith(SealedExtension, StringComparison.Ordinal) ? seal.Open(bytes) : bytes;
    }

    /// <summary>
    /// Seals the plain .eml files an earlier version (or a run in Development) left in the folder, so an upgrade leaves
    /// no clear mail behind; outside Development only. Returns how many were sealed.
    /// </summary>
    public async Task<int> SealClearFilesAsync(CancellationToken cancellationToken)
    {
        if (!SealsFiles || !Directory.Exists(Folder))
        {
            return 0;
        }

        var sealedCount = 0;
        foreach (var clear in Directory.EnumerateFiles(Folder, "*" + ClearExtension))
        {
            try
            {
                var bytes = await File.ReadAllBytesAsync(clear, cancellationToken);
                await WriteFileAsync(clear[..^ClearExtension.Length] + SealedExtension, seal.Seal(bytes), cancellationToken);
                File.Delete(clear);
                sealedCount++;
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                // Another instance on the same folder is sealing it at this moment, or it went with its inquiry.
                EmailLog.PickupFileNotSealed(logger, Path.GetFileName(clear), ex.GetType().Name);
            }
        }

        return sealedCount;
    }

    /// <summary>The outbox rows the folder holds files of (whole or half-written, sealed or plain).</summary>
    public IReadOnlySet<int> OutboxIds() =>
        Directory.Exists(Folder)
            ? Directory.EnumerateFiles(Folder, "*" + ClearExtension + "*").Select(f => OutboxIdOf(Path.GetFileName(f))).OfType<int>().ToHashSet()
            : new HashSet<int>();

    /// <summary>Deletes every copy of these outbox rows' messages (and any half-written one); returns how many files went.</summary>
    public int DeleteFor(IReadOnlyCollection<int> outboxIds)
    {
        ArgumentNullException.ThrowIfNull(outboxIds);
        if (outboxIds.Count == 0 || !Directory.Exists(Folder))
        {
            return 0;
        }

        var wanted = outboxIds.ToHashSet();
        var deleted = 0;
        foreach (var file in Directory.EnumerateFiles(Folder, "*" + ClearExtension + "*"))
        {
            if (OutboxIdOf(Path.GetFileName(file)) is not { } id || !wanted.Contains(id))
            {
                continue;
            }

            try
            {
                // A plain unlink: the file's blocks are not overwritten (on journalling and copy-on-write file systems and
                // SSDs an overwrite would not reach the old blocks anyway); outside Development they held ciphertext only.
                File.Delete(file);
                deleted++;
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                // The inquiry is gone from the database either way; the log names the outbox row, never the content.
                EmailLog.PickupFileNotDeleted(logger, id, ex.GetType().Name);
            }
        }

        return deleted;
    }

    /// <summary>The outbox id in "{stamp}-{id}" followed by .eml or .eml.sealed, and .tmp while being written; null for any other file.</summary>
    public static int? OutboxIdOf(string fileName)
    {
        ArgumentNullException.ThrowIfNull(fileName);
        var name = fileName.EndsWith(PartialSuffix, StringComparison.Ordinal) ? fileName[..^PartialSuffix.Length] : fileName;
        name = name.EndsWith(SealedExtension, StringComparison.Ordinal) ? name[..^SealedExtension.Length]
            : name.EndsWith(ClearExtension, StringComparison.Ordinal) ? name[..^ClearExtension.Length]
            : null;
        var dash = name?.LastIndexOf('-') ?? -1;
        return dash >= 0 && int.TryParse(name![(dash + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out var id) ? id : null;
    }

    private static async Task WriteFileAsync(string path, byte[] bytes, CancellationToken cancellationToken)
    {
        var partial = path + PartialSuffix;
        // Owner-only: outside Development the bytes are sealed, but the folder is the mailbox either way.
        await using (var file = OwnerOnlyFiles.Create(partial))
        {
            await file.WriteAsync(bytes, cancellationToken);
        }

        File.Move(partial, path, overwrite: true);
    }
}
