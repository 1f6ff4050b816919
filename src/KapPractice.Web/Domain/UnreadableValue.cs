namespace KapPractice.Web.Domain;

/// <summary>
/// What a stored value reads as when it cannot be opened (its key is missing, or the value was changed or moved into
/// another column): shown as such on every page and never guessed, so a lost answer is not read as "No".
/// </summary>
public static class UnreadableValue
{
    public const string Text = "(this value could not be read)";

    /// <summary>A value no choice has, which the labels show as <see cref="Text"/> and no rule or filter matches.</summary>
    public static T Choice<T>()
        where T : struct, Enum => (T)Enum.ToObject(typeof(T), -1);

    public static bool IsUnreadable<T>(T value)
        where T : struct, Enum => !Enum.IsDefined(value);
}
