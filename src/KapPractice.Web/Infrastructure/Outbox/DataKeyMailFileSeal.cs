using KapPractice.Web.Infrastructure.Data.Encryption;
using KapPractice.Web.Infrastructure.Email;

namespace KapPractice.Web.Infrastructure.Outbox;

/// <summary>
/// A pickup file sealed with the data key, bound to this use and padded to whole 16 KiB, so its size does not tell an
/// urgent notification (a longer subject and text) or its answers from another's; it names the key that opens it, and
/// any key on the ring (older ones are kept for backups after a rotation) reads it (docs/security.md).
/// </summary>
public sealed class DataKeyMailFileSeal(DataKeyRing ring) : IMailFileSeal
{
    public const string Purpose = "mail pickup";
    public const int Bucket = 16 * 1024;

    public byte[] Seal(ReadOnlySpan<byte> message) => ring.SealFile(message, Purpose, Bucket);

    public byte[] Open(ReadOnlySpan<byte> sealedMessage) => ring.OpenFile(sealedMessage, Purpose);
}
