namespace KapPractice.Web.Infrastructure;

/// <summary>
/// Set by the content editor when it renders an unsaved page through the public site's own view: the public layout
/// then says it is a preview, links back to the editor, names what still blocks publishing, and keeps it out of search.
/// </summary>
public sealed record PreviewBanner(string BackPath, IReadOnlyList<string> Placeholders)
{
    public const string Key = "KapPractice.PreviewBanner";
}
