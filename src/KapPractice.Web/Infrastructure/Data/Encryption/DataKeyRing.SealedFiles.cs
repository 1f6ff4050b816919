using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace KapPractice.Web.Infrastructure.Data.Encryption;

/// <summary>Whole files sealed with the data key (the mail pickup files), padded to buckets of their size.</summary>
public sealed partial class DataKeyRing
{
    /// <summary>
    /// A whole file sealed for one use (its <paramref name="purpose"/> is authenticated with it, so a file of another
    /// use does not open as this one): a bound envelope whose plaintext is the content's length (4 bytes), the content
    /// and zeros up to a whole number of <paramref name="bucket"/>s, so the file's size tells only its bucket.
    /// </summary>
    public byte[] SealFile(ReadOnlySpan<byte> content, string purpose, int bucket)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(bucket, 64);
        var padded = new byte[(4 + content.Length + bucket - 1) / bucket * bucket];
        BinaryPrimitives.WriteInt32BigEndian(padded, content.Length);
        content.CopyTo(padded.AsSpan(4));
        try
        {
            return Seal(Current, BoundEnvelopeVersion, padded, FilePurpose(purpose));
        }
        finally
        {
            CryptographicOperations.ZeroMemory(padded);
        }
    }

    /// <summary>Opens a file <see cref="SealFile"/> sealed for this purpose; throws <see cref="CryptographicException"/> otherwise.</summary>
    public byte[] OpenFile(ReadOnlySpan<byte> envelope, string purpose)
    {
        if (envelope.Length == 0 || envelope[0] != BoundEnvelopeVersion)
        {
            throw NotAnEnvelope();
        }

        var padded = Open(envelope, FilePurpose(purpose));
        var length = padded.Length >= 4 ? BinaryPrimitives.ReadInt32BigEndian(padded) : -1;
        return length >= 0 && length <= padded.Length - 4
            ? padded.AsSpan(4, length).ToArray()
            : throw new CryptographicException("A sealed file's length is not readable.");
    }

    private static byte[] FilePurpose(string purpose) => Encoding.UTF8.GetBytes($"KapPractice sealed file|{purpose}");
}
