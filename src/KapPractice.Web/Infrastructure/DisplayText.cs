using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace KapPractice.Web.Infrastructure;

/// <summary>
/// Text that would be shown as something other than what is stored: an RFC 2047 encoded word, which
/// mail programs decode into another name ("=?UTF-8?B?...?="), and characters that are invisible or
/// reorder the text around them (direction overrides and isolates, zero-width characters, the byte-order
/// mark: every Unicode format character but a joiner inside a Persian, Arabic or Indic word), besides
/// control characters and line breaks.
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
        var runes = value.EnumerateRunes().ToArray();
        for (var i = 0; i < runes.Length; i++)
        {
            if (Rune.GetUnicodeCategory(runes[i]) == UnicodeCategory.Format && !IsJoinerInsideAWord(runes, i))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// A zero-width non-joiner or joiner between two letters of a script that shapes its letters by joining
    /// (Persian, Arabic, the Indic scripts: everything past Greek) is part of how a name is spelled there and
    /// visibly changes it; beside a Latin letter, or at an edge, it only hides.
    /// </summary>
    private static bool IsJoinerInsideAWord(Rune[] runes, int index) =>
        runes[index].Value is 0x200C or 0x200D
        && index > 0 && index < runes.Length - 1
        && IsJoiningScriptLetter(runes[index - 1]) && IsJoiningScriptLetter(runes[index + 1]);

    private static bool IsJoiningScriptLetter(Rune rune) =>
        rune.Value >= 0x0590 && Rune.GetUnicodeCategory(rune) is UnicodeCategory.OtherLetter or UnicodeCategory.NonSpacingMark or UnicodeCategory.SpacingCombiningMark;

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
