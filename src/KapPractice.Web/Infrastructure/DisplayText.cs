using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace KapPractice.Web.Infrastructure;

/// <summary>
/// Text that would be shown as something other than what is stored: an RFC 2047 encoded word, which
/// mail programs decode into another name ("=?UTF-8?B?...?="), and characters that are invisible or
/// reorder the text around them (direction overrides and isolates, zero-width characters, the byte-order
/// mark: every Unicode format character), besides control characters and line breaks.
/// </summary>
public static partial class DisplayText
{
    public static bool HasEncodedWord(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        return EncodedWord().IsMatch(value);
    }

    public static bool HasHiddenCharacters(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        return value.EnumerateRunes().Any(rune => Rune.GetUnicodeCategory(rune) == UnicodeCategory.Format);
    }

    /// <summary>True when <paramref name="value"/> shows as exactly what it is, in a page and in a mail header.</summary>
    public static bool IsPlainName(string? value) =>
        !string.IsNullOrWhiteSpace(value)
        && !HasEncodedWord(value)
        && !HasHiddenCharacters(value)
        && !value.EnumerateRunes().Any(rune => Rune.IsControl(rune) || rune == Rune.ReplacementChar || rune.Value is 0x2028 or 0x2029);

    // Any "=?" before a "?=": mail programs decode sloppy encoded words too, and no name needs the pair.
    [GeneratedRegex(@"=\?.*\?=", RegexOptions.Singleline | RegexOptions.CultureInvariant)]
    private static partial Regex EncodedWord();
}
