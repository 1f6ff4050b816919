using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using Markdig;
using Markdig.Syntax;
using Markdig.Extensions.Yaml;
using YamlDotNet.Core;
using YamlDotNet.Serialization;

namespace KapPractice.Web.Features.Content;

/// <summary>
/// A page or article as a Markdown file with YAML front matter: how the site's first content arrives (Content/),
/// and the form <c>export-content</c> writes and <c>import-content</c> reads (docs/operations.md).
/// </summary>
/// <param name="Slug">Null when the front matter has none (the file name is used).</param>
/// <param name="Body">The Markdown after the front matter, as she wrote it.</param>
public sealed record ContentFile(
    string Title,
    string? Slug,
    string Summary,
    string? Author,
    DateOnly? Published,
    DateOnly? Updated,
    bool Draft,
    string? Image,
    string Body);

/// <summary>Reads and writes <see cref="ContentFile"/>s, and the counting rules the site shares.</summary>
public static partial class MarkdownContent
{
    /// <summary>Words per minute for the reading time: an unhurried adult reading pace.</summary>
    public const int WordsPerMinute = 220;

    private static readonly IDeserializer Yaml = new DeserializerBuilder().Build();

    public static int ReadingMinutes(int wordCount) => Math.Max(1, (wordCount + WordsPerMinute - 1) / WordsPerMinute);

    public static int CountWords(string text) => Word().Count(text ?? string.Empty);

    /// <summary>True when <paramref name="slug"/> can be an article's address: lower-case letters, digits and single hyphens.</summary>
    public static bool IsValidSlug(string? slug) => slug is not null && slug.Length <= Domain.ContentItem.SlugLength && Slug().IsMatch(slug);

    /// <param name="source">The file name, for error messages.</param>
    public static ContentFile Read(string markdown, string source)
    {
        var (fields, body) = Split(markdown, source);
        return new ContentFile(
            Required(fields, "title", source),
            Optional(fields, "slug"),
            Required(fields, "summary", source),
            Optional(fields, "author"),
            Optional(fields, "published") is { } published ? Date(published, "published", source) : null,
            Optional(fields, "updated") is { } updated ? Date(updated, "updated", source) : null,
            string.Equals(Optional(fields, "draft"), "true", StringComparison.OrdinalIgnoreCase),
            Optional(fields, "image"),
            body);
    }

    /// <summary>The file <see cref="Read"/> reads back as <paramref name="file"/>.</summary>
    public static string Write(ContentFile file)
    {
        ArgumentNullException.ThrowIfNull(file);
        var text = new StringBuilder("---\n");
        void Field(string key, string? value)
        {
            if (!string.IsNullOrWhiteSpace(value))
            {
                // Double-quoted YAML: any character she typed (a colon, a quote, a '#') reads back as itself.
                var escaped = value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal);
                text.Append(key).Append(": \"").Append(escaped).Append("\"\n");
            }
        }

        Field("title", file.Title);
        Field("slug", file.Slug);
        Field("summary", file.Summary);
        Field("author", file.Author);
        Field("published", file.Published?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
        Field("updated", file.Updated?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
        Field("image", file.Image);
        if (file.Draft)
        {
            text.Append("draft: true\n");
        }

        return text.Append("---\n\n").Append(file.Body.ReplaceLineEndings("\n").TrimEnd('\n')).Append('\n').ToString();
    }

    /// <param name="source">The file name, for error messages and as the slug when the front matter has none.</param>
    public static Article ParseArticle(string markdown, string source)
    {
        var file = Read(markdown, source);
        var slug = ArticleSlug(file, source);
        var rendered = ContentRenderer.Render(file.Body);
        return new Article(
            slug,
            file.Title,
            file.Summary,
            file.Author ?? throw new InvalidDataException($"{source}: the front matter needs 'author'."),
            file.Published ?? throw new InvalidDataException($"{source}: the front matter needs 'published'."),
            file.Updated,
            rendered.Html,
            rendered.WordCount);
    }

    public static ContentPage ParsePage(string markdown, string source)
    {
        var file = Read(markdown, source);
        return new ContentPage(file.Title, file.Summary, file.Updated, ContentRenderer.Render(file.Body).Html);
    }

    /// <summary>True when the front matter says <c>draft: true</c>: the file is not published when it is read in.</summary>
    public static bool IsDraft(string markdown, string source) =>
        string.Equals(Optional(Split(markdown, source).Fields, "draft"), "true", StringComparison.OrdinalIgnoreCase);

    /// <summary>The article's address: the front matter's slug, or the file name without its extension.</summary>
    public static string ArticleSlug(ContentFile file, string source)
    {
        ArgumentNullException.ThrowIfNull(file);
        var slug = file.Slug ?? Path.GetFileNameWithoutExtension(source);
        return IsValidSlug(slug)
            ? slug
            : throw new InvalidDataException($"{source}: the slug '{slug}' may hold only lower-case letters, digits and hyphens.");
    }

    /// <summary>The front matter's fields and the Markdown after it.</summary>
    private static (Dictionary<string, string> Fields, string Body) Split(string markdown, string source)
    {
        markdown ??= string.Empty;
        var document = Markdown.Parse(markdown, ContentRenderer.Pipeline);
        var frontMatter = document.Descendants<YamlFrontMatterBlock>().FirstOrDefault()
            ?? throw new InvalidDataException($"{source}: the file must start with front matter between '---' lines.");
        var fields = ReadFrontMatter(frontMatter.Lines.ToString(), source);
        var body = markdown[Math.Min(markdown.Length, frontMatter.Span.End + 1)..].TrimStart('\r', '\n').ReplaceLineEndings("\n");
        return (fields, body);
    }

    private static Dictionary<string, string> ReadFrontMatter(string yaml, string source)
    {
        try
        {
            var values = Yaml.Deserialize<Dictionary<string, string?>>(yaml) ?? [];
            return values
                .Where(pair => !string.IsNullOrWhiteSpace(pair.Value))
                .ToDictionary(pair => pair.Key.Trim(), pair => pair.Value!.Trim(), StringComparer.OrdinalIgnoreCase);
        }
        catch (YamlException e)
        {
            throw new InvalidDataException($"{source}: the front matter is not valid YAML ({e.Message}).", e);
        }
    }

    private static string Required(Dictionary<string, string> fields, string key, string source) =>
        Optional(fields, key) ?? throw new InvalidDataException($"{source}: the front matter needs '{key}'.");

    private static string? Optional(Dictionary<string, string> fields, string key) =>
        fields.TryGetValue(key, out var value) ? value : null;

    private static DateOnly Date(string value, string key, string source) =>
        DateOnly.TryParseExact(value, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date)
            ? date
            : throw new InvalidDataException($"{source}: '{key}' must be a date written as YYYY-MM-DD, not '{value}'.");

    [GeneratedRegex(@"[\p{L}\p{N}]+(?:['’\-][\p{L}\p{N}]+)*")]
    private static partial Regex Word();

    [GeneratedRegex("^[a-z0-9]+(?:-[a-z0-9]+)*$")]
    private static partial Regex Slug();
}
