namespace KapPractice.Web.Features.Content;

/// <summary>Every article and page of the site, parsed once at start-up and shared by all requests.</summary>
public sealed class ContentLibrary
{
    private readonly Dictionary<string, Article> _bySlug;

    public ContentLibrary(IEnumerable<Article> articles, ContentPage about, ContentPage privacy, ContentPage fees)
    {
        ArgumentNullException.ThrowIfNull(articles);
        Articles = [.. articles.OrderByDescending(a => a.Published).ThenBy(a => a.Title, StringComparer.Ordinal)];
        var duplicate = Articles.GroupBy(a => a.Slug, StringComparer.OrdinalIgnoreCase).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
        {
            throw new InvalidDataException($"Two articles share the slug '{duplicate.Key}'.");
        }

        _bySlug = Articles.ToDictionary(a => a.Slug, StringComparer.OrdinalIgnoreCase);
        About = about;
        Privacy = privacy;
        Fees = fees;
    }

    /// <summary>Newest first.</summary>
    public IReadOnlyList<Article> Articles { get; }

    public ContentPage About { get; }

    public ContentPage Privacy { get; }

    public ContentPage Fees { get; }

    public Article? Find(string slug) => _bySlug.GetValueOrDefault(slug);

    /// <summary>Reads <c>articles/*.md</c>, <c>about.md</c>, <c>privacy.md</c> and <c>fees.md</c> from <paramref name="directory"/>.</summary>
    public static ContentLibrary Load(string directory)
    {
        var articlesDirectory = Path.Combine(directory, "articles");
        var articles = Directory.Exists(articlesDirectory)
            ? Directory.EnumerateFiles(articlesDirectory, "*.md")
                .Select(path => (Name: Path.GetFileName(path), Text: File.ReadAllText(path)))
                .Where(file => !MarkdownContent.IsDraft(file.Text, file.Name))
                .Select(file => MarkdownContent.ParseArticle(file.Text, file.Name))
                .ToList()
            : [];
        return new ContentLibrary(articles, LoadPage(directory, "about.md"), LoadPage(directory, "privacy.md"), LoadPage(directory, "fees.md"));
    }

    private static ContentPage LoadPage(string directory, string name) =>
        MarkdownContent.ParsePage(File.ReadAllText(Path.Combine(directory, name)), name);
}
