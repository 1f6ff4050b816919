using System.Security.Cryptography;
using System.Text;
using KapPractice.Web.Infrastructure.Data;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using Microsoft.AspNetCore.WebUtilities;

namespace KapPractice.Web.Features.AdminShell;

/// <summary>
/// Identity's EF store on the app's database, with the recovery codes kept as keyed hashes (HMAC-SHA256) rather than
/// the codes: the practitioner sees her codes once, when they are made, and nothing stored reads as one. Each set has
/// its own random 256-bit key, kept in the same row, whose value the database seals with the data key like every
/// Identity token (Infrastructure/Data/Encryption/ClientDataModel.cs). So a copy of the database alone can neither match
/// nor forge a code, and with the data key too a code still has to be guessed, not read. The key is not derived from
/// the data key: a key rotation re-seals the row (docs/security.md) and the codes keep working, whereas
/// hashes under a data key would be lost with it.
/// </summary>
public sealed class KapUserStore(KapDbContext context, IdentityErrorDescriber? describer = null)
    : UserOnlyStore<IdentityUser, KapDbContext, string>(context, describer)
{
    /// <summary>Identity's own names for the row (as its UserStoreBase writes them).</summary>
    private const string InternalLoginProvider = "[AspNetUserStore]";
    private const string RecoveryCodeTokenName = "RecoveryCodes";

    /// <summary>Starts a hashed set: <c>hmac-sha256:{key};{hash};{hash}...</c>, base64url. Identity's own codes never hold a colon.</summary>
    private const string HashedPrefix = "hmac-sha256:";

    public override Task ReplaceCodesAsync(IdentityUser user, IEnumerable<string> recoveryCodes, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(recoveryCodes);
        var key = RandomNumberGenerator.GetBytes(32);
        return WriteAsync(user, key, [.. recoveryCodes.Select(code => Hash(key, code))], cancellationToken);
    }

    /// <summary>Compares the code's hash with every stored hash, each in constant time, and removes the one it matches.</summary>
    public override async Task<bool> RedeemCodeAsync(IdentityUser user, string code, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(code);
        var stored = await ReadAsync(user, cancellationToken);
        if (stored.Key is not { } key)
        {
            return false;
        }

        var candidate = Hash(key, code);
        var match = -1;
        for (var i = 0; i < stored.Values.Count; i++)
        {
            // Every value is compared, also after a match, so the time taken does not tell which one matched.
            if (CryptographicOperations.FixedTimeEquals(stored.Values[i], candidate) && match < 0)
            {
                match = i;
            }
        }

        if (match < 0)
        {
            return false;
        }

        await WriteAsync(user, key, [.. stored.Values.Where((_, i) => i != match)], cancellationToken);
        return true;
    }

    public override async Task<int> CountCodesAsync(IdentityUser user, CancellationToken cancellationToken) =>
        (await ReadAsync(user, cancellationToken)).Values.Count;

    private static byte[] Hash(byte[] key, string code) => HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(code));

    private Task WriteAsync(IdentityUser user, byte[] key, IReadOnlyList<byte[]> hashes, CancellationToken cancellationToken) =>
        SetTokenAsync(user, InternalLoginProvider, RecoveryCodeTokenName,
            HashedPrefix + string.Join(';', hashes.Select(WebEncoders.Base64UrlEncode).Prepend(WebEncoders.Base64UrlEncode(key))),
            cancellationToken);

    /// <summary>The stored set: its key and hashes; none (no key) when the value is not a hashed set.</summary>
    private async Task<(byte[]? Key, IReadOnlyList<byte[]> Values)> ReadAsync(IdentityUser user, CancellationToken cancellationToken)
    {
        var value = await GetTokenAsync(user, InternalLoginProvider, RecoveryCodeTokenName, cancellationToken);
        if (string.IsNullOrEmpty(value))
        {
            return (null, []);
        }

        if (!value.StartsWith(HashedPrefix, StringComparison.Ordinal))
        {
            return (null, []);
        }

        var parts = value[HashedPrefix.Length..].Split(';');
        return (WebEncoders.Base64UrlDecode(parts[0]), [.. parts.Skip(1).Select(WebEncoders.Base64UrlDecode)]);
    }
}
