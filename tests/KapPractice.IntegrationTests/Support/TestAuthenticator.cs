using System.Security.Cryptography;

namespace KapPractice.Tests.Support;

/// <summary>
/// The phone in the tests: an authenticator app holding the key the page showed, computing RFC 6238 codes
/// (HMAC-SHA1, 30-second steps, six digits) on its own, not with the app's code. It remembers the last
/// step it gave out, because the app accepts each code only once. When every code near the clock's time was given out, it
/// waits for the next step on the real clock, moves a <see cref="ShiftedClock"/> on to it (the shared admin apps' clock:
/// <see cref="AdminFactory"/>, the browser tests' admin app), or refuses on any other fake clock.
/// </summary>
public sealed class TestAuthenticator(string key, TimeProvider clock)
{
    private const string Alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
    private readonly byte[] _secret = Decode(key);
    private long _lastStep = long.MinValue;

    public string Key { get; } = key;

    /// <summary>A code the app has not seen yet: for the current step, or the next one (the app allows one step either side).</summary>
    public async Task<string> NextCodeAsync()
    {
        var current = clock.GetUtcNow().ToUnixTimeSeconds() / 30;
        var step = Math.Max(current, _lastStep + 1);
        if (step > current + 1)
        {
            // A third sign-in within the same half minute: the next code is up to 30 s away.
            var wait = TimeSpan.FromSeconds((step - 1) * 30 - clock.GetUtcNow().ToUnixTimeSeconds() + 1);
            if (clock is ShiftedClock shifted)
            {
                // The app's clock moves on to it, as the real one would while a person waited.
                Log($"authenticator moves the app's clock on {wait.TotalSeconds:0} s to the next code");
                shifted.Advance(wait);
            }
            else if (clock != TimeProvider.System)
            {
                throw new InvalidOperationException("Every code near the fake clock's time was used: advance the clock.");
            }
            else
            {
                Log($"authenticator waits {wait.TotalSeconds:0} s for the next code");
                await Task.Delay(wait);
            }
        }

        _lastStep = step;
        return CodeAt(step);
    }

    /// <summary>With KAP_TEST_HOST_LOG set to a file, each wait or clock move is a line of it (beside the host starts).</summary>
    private static void Log(System.FormattableString line)
    {
        if (Environment.GetEnvironmentVariable("KAP_TEST_HOST_LOG") is { Length: > 0 } log)
        {
            File.AppendAllText(log, System.FormattableString.Invariant(line) + Environment.NewLine);
        }
    }

    /// <summary>The code for the step containing <paramref name="time"/> (without remembering it).</summary>
    public string CodeAt(DateTimeOffset time) => CodeAt(time.ToUnixTimeSeconds() / 30);

    public string CodeAt(long step)
    {
        var counter = BitConverter.GetBytes(step);
        if (BitConverter.IsLittleEndian)
        {
            Array.Reverse(counter);
        }

#pragma warning disable CA5350 // RFC 6238 is HMAC-SHA1.
        var hash = HMACSHA1.HashData(_secret, counter);
#pragma warning restore CA5350
        var offset = hash[^1] & 0xF;
        var value = ((hash[offset] & 0x7F) << 24) | (hash[offset + 1] << 16) | (hash[offset + 2] << 8) | hash[offset + 3];
        return (value % 1_000_000).ToString("000000", System.Globalization.CultureInfo.InvariantCulture);
    }

    private static byte[] Decode(string base32)
    {
        var bits = string.Concat(base32.Replace(" ", "", StringComparison.Ordinal).ToUpperInvariant()
            .Select(c => Convert.ToString(Alphabet.IndexOf(c, StringComparison.Ordinal), 2).PadLeft(5, '0')));
        return [.. Enumerable.Range(0, bits.Length / 8).Select(i => Convert.ToByte(bits.Substring(i * 8, 8), 2))];
    }
}
