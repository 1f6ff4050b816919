namespace KapPractice.Web.Features.AdminShell;

/// <summary>One labelled text field of an admin form (Rows above 0 makes it a text area).</summary>
public sealed record FieldModel(string Name, string Id, string Label, string? Value, int MaxLength, string? Hint, int Rows = 0);
