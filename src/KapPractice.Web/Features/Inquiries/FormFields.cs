namespace KapPractice.Web.Features.Inquiries;

/// <summary>A radio or checkbox group, rendered as a fieldset whose first input's id is <see cref="Name"/> (the error summary links there).</summary>
public sealed record ChoiceGroup(
    string Name,
    string Legend,
    IReadOnlyList<(string Value, string Label)> Choices,
    IReadOnlyCollection<string> Selected,
    string? Error,
    bool Multiple = false,
    string? Hint = null,
    bool Inline = false)
{
    public static ChoiceGroup Radios<T>(string name, string legend, IReadOnlyList<(T Value, string Label)> choices, T? selected, string? error, string? hint = null)
        where T : struct, Enum =>
        new(name, legend, [.. choices.Select(c => (c.Value.ToString(), c.Label))], selected is { } s ? [s.ToString()] : [], error, Hint: hint, Inline: choices.Count <= 3 && choices.All(c => c.Label.Length <= 10));

    public static ChoiceGroup Checkboxes<T>(string name, string legend, IReadOnlyList<(T Value, string Label)> choices, IEnumerable<T> selected, string? error, string? hint = null)
        where T : struct, Enum =>
        new(name, legend, [.. choices.Select(c => (c.Value.ToString(), c.Label))], [.. selected.Select(s => s.ToString())], error, Multiple: true, Hint: hint);

    public string InputId(int index) => index == 0 ? Name : $"{Name}-{index + 1}";
}

/// <summary>A labelled text input or textarea with its hint and error.</summary>
public sealed record TextField(
    string Name,
    string Label,
    string? Value,
    string? Error,
    string? Hint = null,
    string Type = "text",
    string? Autocomplete = null,
    int? MaxLength = null,
    bool Optional = false,
    bool Multiline = false,
    string Width = "full",
    bool SpellCheck = true);

/// <summary>One required consent checkbox with its error.</summary>
public sealed record ConsentBox(string Name, string Label, bool Checked, string? Error);
