using System.Security.Cryptography;
using System.Text;

namespace KapPractice.Web.Infrastructure.Data.Encryption;

/// <summary>Keyed hashes derived from the data key: recipient addresses and secrets such as admin session ids.</summary>
public sealed partial class DataKeyRing
{
    /// <summary>A keyed hash of the lower-cased address: finds earlier mail to it without storing it readably.</summary>
    public byte[] AddressHash(string address) => AddressHash(Current, address);

    /// <summary>The address's hash under every key, so rows not yet re-encrypted after a rotation still match.</summary>
    public IReadOnlyList<byte[]> AddressHashes(string address) => [.. Keys.Select(k => AddressHash(k, address))];

    public static byte[] AddressHash(DataKey key, string address)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(address);
        return HMACSHA256.HashData(key.AddressHashKey, Encoding.UTF8.GetBytes(address.Trim().ToLowerInvariant()));
    }

    /// <summary>
    /// A keyed hash for one <paramref name="purpose"/> (such as admin session ids): HMAC-SHA256 under a key derived from
    /// the data key with HKDF, one per purpose, as the address hash is. A copy of the database alone can neither match nor forge it.
    /// </summary>
    public byte[] SecretHash(string purpose, ReadOnlySpan<byte> value) => SecretHash(Current, purpose, value);

    /// <summary>The hash under every key on the ring, newest first, so values hashed before a rotation still match.</summary>
    public IReadOnlyList<byte[]> SecretHashes(string purpose, ReadOnlySpan<byte> value)
    {
        var hashes = new List<byte[]>();
        foreach (var key in Keys.OrderByDescending(k => k.CreatedUtc))
        {
            hashes.Add(SecretHash(key, purpose, value));
        }

        return hashes;
    }

    public static byte[] SecretHash(DataKey key, string purpose, ReadOnlySpan<byte> value)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentException.ThrowIfNullOrEmpty(purpose);
        var hashKey = HKDF.DeriveKey(HashAlgorithmName.SHA256, key.Material, 32, info: Encoding.UTF8.GetBytes("KapPractice secret hash: " + purpose));
        return HMACSHA256.HashData(hashKey, value);
    }
}
