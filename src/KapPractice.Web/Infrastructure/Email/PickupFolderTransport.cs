using System.Globalization;
using KapPractice.Web.Infrastructure.Data;

namespace KapPractice.Web.Infrastructure.Email;

/// <summary>The out-of-the-box default: each message becomes an .eml file in the data folder, readable by any mail client.</summary>
public sealed class PickupFolderTransport : IMailTransport
{
    private readonly TimeProvider _time;

    public PickupFolderTransport(DataPaths paths, TimeProvider time, ILogger<PickupFolderTransport> logger)
    {
        ArgumentNullException.ThrowIfNull(paths);
        ArgumentNullException.ThrowIfNull(logger);
        _time = time;
        Folder = paths.MailPickup;
        Directory.CreateDirectory(Folder);
        EmailLog.WritingToPickupFolder(logger, Folder);
    }

    public string Folder { get; }

    public async Task<DeliveryResult> SendAsync(OutgoingMail mail, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(mail);
        var stamp = _time.GetUtcNow().UtcDateTime.ToString("yyyyMMdd'T'HHmmssfff'Z'", CultureInfo.InvariantCulture);
        var path = Path.Combine(Folder, $"{stamp}-{mail.OutboxId}.eml");
        var partial = path + ".tmp";
        try
        {
            await mail.Message.WriteToAsync(partial, cancellationToken);
            // Renamed into place so a reader of the folder never sees half a message.
            File.Move(partial, path, overwrite: true);
            return DeliveryResult.Sent;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return DeliveryResult.Retry($"Could not write to the pickup folder: {ex.GetType().Name}", ex.GetType().Name);
        }
    }
}
