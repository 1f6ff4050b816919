using System.Globalization;

namespace KapPractice.Web.Infrastructure.Email;

/// <summary>
/// The pickup folder's files, named <c>{UTC stamp}-{outbox id}.eml</c>: written by <see cref="PickupFolderTransport"/>,
/// deleted with their inquiry (they hold every answer), whichever transport is configured now.
/// </summary>
public sealed class MailPickupFolder(DataPaths paths, ILogger<MailPickupFolder> logger)
{
    public string Folder { get; } = paths?.MailPickup ?? throw new ArgumentNullException(nameof(paths));

    public string PathFor(DateTimeOffset now, int outboxId) =>
        Path.Combine(Folder, $"{now.UtcDateTime.ToString("yyyyMMdd'T'HHmmssfff'Z'", CultureInfo.InvariantCulture)}-{outboxId}.eml");

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
        foreach (var file in Directory.EnumerateFiles(Folder, "*.eml*"))
        {
            if (OutboxIdOf(Path.GetFileName(file)) is not { } id || !wanted.Contains(id))
            {
                continue;
            }

            try
            {
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

    /// <summary>The outbox id in "{stamp}-{id}.eml" or "{stamp}-{id}.eml.tmp"; null for any other file.</summary>
    private static int? OutboxIdOf(string fileName)
    {
        var name = fileName.EndsWith(".eml.tmp", StringComparison.Ordinal) ? fileName[..^".eml.tmp".Length]
            : fileName.EndsWith(".eml", StringComparison.Ordinal) ? fileName[..^".eml".Length]
            : null;
        var dash = name?.LastIndexOf('-') ?? -1;
        return dash >= 0 && int.TryParse(name![(dash + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out var id) ? id : null;
    }
}
