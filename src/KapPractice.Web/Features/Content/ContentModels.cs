namespace KapPractice.Web.Features.Content;

/// <summary>An article written in Markdown, ready to show.</summary>
/// <param name="Html">Rendered from the practitioner's own Markdown file, never from visitor input.</param>
public sealed record Article(
    string Slug,
    string Title,
    string Summary,
    string Author,
    DateOnly Published,
    DateOnly? Updated,
    string Html,
    int WordCount)
{
    public int ReadingMinutes => MarkdownContent.ReadingMinutes(WordCount);

    public DateOnly LastModified => Updated ?? Published;

    public string Path => "/articles/" + Slug;
}

/// <summary>A standalone page (about, privacy, fees) written in Markdown.</summary>
public sealed record ContentPage(string Title, string Summary, DateOnly? Updated, string Html);
