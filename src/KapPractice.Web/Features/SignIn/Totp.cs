using System.Buffers.Binary;
using System.Security.Cryptography;

namespace KapPractice.Web.Features.SignIn;

/// <summary>
/// RFC 6238 time-based codes as authenticator apps compute them: HMAC-SHA1 over 30-second steps, six
/// digits, the key exchanged in Base32 (RFC 4648). Pure functions: the caller supplies the time.
/// </summary>
public static class Totp
{
    public const int StepSeconds = 30;
    public const int Digits = 6;

    /// <summary>How many steps either side of now a code is still accepted: a phone clock a little off, a code typed slowly.</summary>
    public const int Tolerance = 1;

    private const string Base32Alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

    public static long StepAt(DateTimeOffset time) => time.ToUnixTimeSeconds() / StepSeconds;

    public static string Code(ReadOnlySpan<byte> key, long step)
    {
        Span<byte> counter = stackalloc byte[8];
        BinaryPrimitives.WriteInt64BigEndian(counter, step);
        Span<byte> hash = stackalloc byte[HMACSHA1.HashSizeInBytes];
#pragma warning disable CA5350 // RFC 6238 and every authenticator app use HMAC-SHA1; HMAC does not rely on SHA-1's collision resistance.
        HMACSHA1.HashData(key, counter, hash);
#pragma warning restore CA5350
        var offset = hash[^1] & 0x0F;
        var binary = BinaryPrimitives.ReadInt32BigEndian(hash[offset..]) & 0x7FFF_FFFF;
        return (binary % 1_000_000).ToString("D6", System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>
    /// The step whose code is <paramref name="code"/>, within <see cref="Tolerance"/> steps of <paramref name="now"/>
    /// and later than <paramref name="lastUsedStep"/> (a code is good once); null when none matches.
    /// </summary>
    public static long? Match(ReadOnlySpan<byte> key, string? code, DateTimeOffset now, long lastUsedStep)
    {
        var digits = Normalize(code);
        if (digits is null)
        {
            return null;
        }

        var current = StepAt(now);
        for (var step = current - Tolerance; step <= current + Tolerance; step++)
        {
            if (step > lastUsedStep && CryptographicOperations.FixedTimeEquals(
                System.Text.Encoding.ASCII.GetBytes(Code(key, step)), System.Text.Encoding.ASCII.GetBytes(digits)))
            {
                return step;
            }
        }

        return null;
    }

    /// <summary>Six digits once spaces and dashes are removed (apps show "123 456"), or null.</summary>
    public static string? Normalize(string? code)
    {
        if (string.IsNullOrWhiteSpace(code))
        {
            return null;
        }

        var digits = new string([.. code.Where(c => c is not (' ' or '-'))]);
        return digits.Length == Digits && digits.All(char.IsAsciiDigit) ? digits : null;
    }

    /// <summary>Decodes an unpadded, case-insensitive Base32 key; null when it is not Base32.</summary>
    public static byte[]? FromBase32(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return null;
        }

        var output = new List<byte>(text.Length * 5 / 8);
        int buffer = 0, bits = 0;
        foreach (var c in text.TrimEnd('='))
        {
            var value = Base32Alphabet.IndexOf(char.ToUpperInvariant(c), StringComparison.Ordinal);
            if (value < 0)
            {
                return null;
            }

            buffer = (buffer << 5) | value;
            bits += 5;
            if (bits >= 8)
            {
                bits -= 8;
                output.Add((byte)(buffer >> bits));
                buffer &= (1 << bits) - 1;
            }
        }

        return [.. output];
    }

    /// <summary>The key as the page shows it for typing: upper case, in groups of four.</summary>
    public static string Grouped(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        return string.Join(' ', key.ToUpperInvariant().Chunk(4).Select(chunk => new string(chunk)));
    }
}
