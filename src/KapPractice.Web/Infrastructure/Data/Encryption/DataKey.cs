using System.Globalization;
using System.Security.Cryptography;

namespace KapPractice.Web.Infrastructure.Data.Encryption;

/// <summary>A start-up stop about the encryption key: the message names the setting to fix.</summary>
public sealed class EncryptionKeyException(string message) : Exception(message);

/// <summary>One data key: 32 random bytes for AES-256-GCM, named by a random 32-bit id.</summary>
public sealed class DataKey
{
    internal DataKey(uint id, DateTime createdUtc, byte[] material, string source)
    {
        Id = id;
        CreatedUtc = createdUtc;
        Material = material;
        Source = source;
        AddressHashKey = HKDF.DeriveKey(HashAlgorithmName.SHA256, material, 32, info: "KapPractice recipient address hash"u8.ToArray());
    }

    public uint Id { get; }
    public string Name => Id.ToString("x8", CultureInfo.InvariantCulture);
    public DateTime CreatedUtc { get; }
    /// <summary>The file it was read from.</summary>
    public string Source { get; }
    internal byte[] Material { get; }
    internal byte[] AddressHashKey { get; }

    // Setting up AES-GCM costs more than sealing a short answer; a few ready instances are kept (each used by one thread
    // at a time). The count is kept beside the bag: the bag's own Count locks every thread's list.
    private readonly System.Collections.Concurrent.ConcurrentBag<AesGcm> _ciphers = [];
    private int _pooled;

    internal AesGcm RentCipher()
    {
        if (_ciphers.TryTake(out var cipher))
        {
            Interlocked.Decrement(ref _pooled);
            return cipher;
        }

        return new AesGcm(Material, 16);
    }

    internal void ReturnCipher(AesGcm cipher)
    {
        if (Interlocked.Increment(ref _pooled) <= 2 * Environment.ProcessorCount)
        {
            _ciphers.Add(cipher);
        }
        else
        {
            Interlocked.Decrement(ref _pooled);
            cipher.Dispose();
        }
    }
}
