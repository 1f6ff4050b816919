namespace KapPractice.Web.Infrastructure;

/// <summary>
/// The crisis lines every page, the form and the client's acknowledgement give, written here once: pages
/// show them linked through the _CrisisLines partial, plain text (emails, hints, labels) uses <see cref="Text"/>.
/// </summary>
public static class CrisisLines
{
    /// <param name="Action">What to do, as it reads in a sentence ("call or text").</param>
    /// <param name="Number">The number to dial or text.</param>
    /// <param name="Href">The tel: or sms: link.</param>
    /// <param name="Service">Who answers, when it is worth naming.</param>
    public sealed record Line(string Action, string Number, string Href, string? Service);

    public static IReadOnlyList<Line> All { get; } =
    [
        new("call or text", "988", "tel:988", "Suicide & Crisis Lifeline"),
        new("text HOME to", "741741", "sms:741741", "Crisis Text Line"),
        new("call", "911", "tel:911", null),
    ];

    /// <summary>"call or text 988 (Suicide &amp; Crisis Lifeline), text HOME to 741741 (Crisis Text Line), or call 911": a sentence's ending.</summary>
    public static string Text { get; } = string.Join(", ", All.Select((line, i) =>
        (i == All.Count - 1 ? "or " : "") + $"{line.Action} {line.Number}" + (line.Service is null ? "" : $" ({line.Service})")));
}
