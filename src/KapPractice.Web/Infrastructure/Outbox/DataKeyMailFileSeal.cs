using KapPractice.Web.Infrastructure.Data.Encryption;
using KapPractice.Web.Infrastructure.Email;

namespace KapPractice.Web.Infrastructure.Outbox;

/// <summary>
/// A pickup file sealed as the Data Protection key files are: the data key's unbound envelope with the current key, so
/// it names the key that opens it and any key on the ring (older ones are kept for backups after a rotation) reads it
/// (README, "Encryption at rest").
/// </summary>
public sealed class DataKeyMailFileSeal(DataKeyRing ring) : IMailFileSeal
{
    public byte[] Seal(ReadOnlySpan<byte> message) => DataKeyRing.Protect(ring.Current, message);

    public byte[] Open(ReadOnlySpan<byte> sealedMessage) => ring.Unprotect(sealedMessage);
}
