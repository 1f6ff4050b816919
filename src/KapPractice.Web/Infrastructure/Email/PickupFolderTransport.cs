using KapPractice.Web.Infrastructure.Data;

namespace KapPractice.Web.Infrastructure.Email;

/// <summary>The out-of-the-box default: each message becomes an .eml file in the data folder, readable by any mail client.</summary>
public sealed class PickupFolderTransport : IMailTransport
{
    private readonly MailPickupFolder _folder;
    private readonly TimeProvider _time;

    public PickupFolderTransport(MailPickupFolder folder, TimeProvider time, ILogger<PickupFolderTransport> logger)
    {
        ArgumentNullException.ThrowIfNull(folder);
        ArgumentNullException.ThrowIfNull(logger);
        _folder = folder;
        _time = time;
        OwnerOnlyFiles.CreateFolder(Folder);
        EmailLog.WritingToPickupFolder(logger, Folder);
    }

    public string Folder => _folder.Folder;

    public async Task<DeliveryResult> SendAsync(OutgoingMail mail, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(mail);
        var path = _folder.PathFor(_time.GetUtcNow(), mail.OutboxId);
        var partial = path + ".tmp";
        try
        {
            // The .eml is the mail itself (readable by design), so only its owner may read it.
            await using (var file = OwnerOnlyFiles.Create(partial))
            {
                await mail.Message.WriteToAsync(file, cancellationToken);
            }

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
