using System.Text;
using System.Text.RegularExpressions;
using KapPractice.Web.Domain;

namespace KapPractice.Web.Features.Replies;

/// <summary>What a template's placeholders are filled with for one reply; a null link or empty referrals leave their lines out.</summary>
public sealed record PlaceholderValues(string FirstName, string PracticeName, string ContactEmail, IReadOnlyList<Referral> Referrals, string? BookingLink);

/// <summary>
/// The placeholders a template may hold, and filling them in. Filling is one pass over the template's own text:
/// a value (a client's typed first name, say) is written in literally and never read for placeholders again.
/// </summary>
public static partial class ReplyPlaceholders
{
    public const string FirstName = "{FirstName}";
    public const string PracticeName = "{PracticeName}";
    public const string ContactEmail = "{ContactEmail}";
    public const string Referrals = "{Referrals}";
    public const string BookingLink = "{BookingLink}";

    public static IReadOnlyList<string> All { get; } = [FirstName, PracticeName, ContactEmail, Referrals, BookingLink];

    /// <summary>A subject shows on lock screens and in inbox lists: no client's name, and nothing on several lines.</summary>
    public static IReadOnlyList<string> AllowedInSubject { get; } = [PracticeName, ContactEmail];

    [GeneratedRegex(@"\{[^{}\r\n]{1,40}\}")]
    private static partial Regex Placeholder();

    /// <summary>The placeholders in <paramref name="text"/> that are not in <paramref name="allowed"/>, each once, in order.</summary>
    public static IReadOnlyList<string> Unknown(string? text, IReadOnlyList<string> allowed)
    {
        ArgumentNullException.ThrowIfNull(allowed);
        return string.IsNullOrEmpty(text)
            ? []
            : [.. Placeholder().Matches(text).Select(m => m.Value).Where(p => !allowed.Contains(p, StringComparer.Ordinal)).Distinct(StringComparer.Ordinal)];
    }

    public static bool Uses(string? text, string placeholder) => text?.Contains(placeholder, StringComparison.Ordinal) == true;

    /// <summary>The client's first name as the client typed it: the first word of the name on the form.</summary>
    public static string FirstNameOf(string fullName)
    {
        ArgumentNullException.ThrowIfNull(fullName);
        var words = fullName.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        return words.Length == 0 ? string.Empty : words[0];
    }

    /// <summary>"- Name — what for — how to reach", one line per referral.</summary>
    public static string ReferralList(IEnumerable<Referral> referrals)
    {
        ArgumentNullException.ThrowIfNull(referrals);
        return string.Join('\n', referrals.Select(r => $"- {OneLine(r.Name)} — {OneLine(r.Purpose)} — {OneLine(r.Contact)}"));
    }

    /// <summary>
    /// Fills the template. A line holding {Referrals} with none chosen, or {BookingLink} without a link, is left out
    /// (with a blank line it would leave doubled); any other unknown brace text is kept as written.
    /// </summary>
    public static string Fill(string template, PlaceholderValues values)
    {
        ArgumentNullException.ThrowIfNull(template);
        ArgumentNullException.ThrowIfNull(values);
        var referrals = ReferralList(values.Referrals);
        var lines = template.ReplaceLineEndings("\n").Split('\n');
        var kept = new List<string>(lines.Length);
        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i];
            var drop = (Uses(line, Referrals) && referrals.Length == 0) || (Uses(line, BookingLink) && string.IsNullOrWhiteSpace(values.BookingLink));
            if (drop)
            {
                if (i + 1 < lines.Length && lines[i + 1].Trim().Length == 0 && (kept.Count == 0 || kept[^1].Trim().Length == 0))
                {
                    i++;
                }

                continue;
            }

            kept.Add(Placeholder().Replace(line, match => match.Value switch
            {
                FirstName => values.FirstName,
                PracticeName => values.PracticeName,
                ContactEmail => values.ContactEmail,
                Referrals => referrals,
                BookingLink => values.BookingLink ?? string.Empty,
                _ => match.Value,
            }));
        }

        return string.Join('\n', kept);
    }

    /// <summary>
    /// A reply as sent, its {BookingLink}s filled with the link signed at sending. The composer shows the placeholder as
    /// written (<see cref="Fill"/> is given it as the link's value), so showing a template changes no client's link.
    /// </summary>
    public static string FillBookingLink(string text, string link)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(link);
        return text.Replace(BookingLink, link, StringComparison.Ordinal);
    }

        private static string OneLine(string value) => value.ReplaceLineEndings(" ").Trim();
}
