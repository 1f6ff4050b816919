namespace KapPractice.Web.Infrastructure.Email;

/// <summary>
/// Without an SMTP server: each message becomes a file in the data folder's pickup folder, sealed with the data key
/// outside Development (read one with the read-mail command), a plain .eml in Development (docs/operations.md).
/// </summary>
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
        if (folder.SealsFiles)
        {
            EmailLog.WritingSealedToPickupFolder(logger, Folder);
        }
        else
        {
            EmailLog.WritingToPickupFolder(logger, Folder);
        }
    }

    public string Folder => _folder.Folder;

    public async Task<DeliveryResult> SendAsync(OutgoingMail mail, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(mail);
        try
        {
            await _folder.WriteAsync(mail, _time.GetUtcNow(), cancellationToken);
            return DeliveryResult.Sent;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return DeliveryResult.Retry($"Could not write to the pickup folder: {ex.GetType().Name}", ex.GetType().Name);
        }
    }
}
