using System.Globalization;
using System.Text.RegularExpressions;
using Markdig;
using Markdig.Extensions.Yaml;
using Markdig.Renderers;
using Markdig.Syntax;
using YamlDotNet.Core;
using YamlDotNet.Serialization;

namespace KapPractice.Web.Features.Content;

/// <summary>Turns a Markdown file with YAML front matter into an <see cref="Article"/> or a <see cref="ContentPage"/>.</summary>
public static partial class MarkdownContent
{
    /// <summary>Words per minute for the reading time: an unhurried adult reading pace.</summary>
    public const int WordsPerMinute = 220;

    private static readonly MarkdownPipeline Pipeline = new MarkdownPipelineBuilder()
        .UseYamlFrontMatter()
        .UseCustomContainers()
        .UseAutoIdentifiers()
        .Build();

    private static readonly IDeserializer Yaml = new DeserializerBuilder().Build();

    public static int ReadingMinutes(int wordCount) => Math.Max(1, (wordCount + WordsPerMinute - 1) / WordsPerMinute);

    public static int CountWords(string text) => Word().Count(text ?? string.Empty);

    /// <param name="source">The file name, for error messages and as the slug when the front matter has none.</param>
    public static Article ParseArticle(string markdown, string source)
    {
        var (fields, html, words) = Parse(markdown, source);
        var slug = Optional(fields, "slug") ?? Path.GetFileNameWithoutExtension(source);
        if (!Slug().IsMatch(slug))
        {
            throw new InvalidDataException($"{source}: the slug '{slug}' may hold only lower-case letters, digits and hyphens.");
        }

        return new Article(
            slug,
            Required(fields, "title", source),
            Required(fields, "summary", source),
            Required(fields, "author", source),
            Date(Required(fields, "published", source), "published", source),
            Optional(fields, "updated") is { } updated ? Date(updated, "updated", source) : null,
            html,
            words);
    }

    public static ContentPage ParsePage(string markdown, string source)
    {
        var (fields, html, _) = Parse(markdown, source);
        return new ContentPage(
            Required(fields, "title", source),
            Required(fields, "summary", source),
            Optional(fields, "updated") is { } updated ? Date(updated, "updated", source) : null,
            html);
    }

    /// <summary>True when the front matter says <c>draft: true</c>: the file is kept off the site.</summary>
    public static bool IsDraft(string markdown, string source) =>
        string.Equals(Optional(Parse(markdown, source).Fields, "draft"), "true", StringComparison.OrdinalIgnoreCase);

    private static (Dictionary<string, string> Fields, string Html, int Words) Parse(string markdown, string source)
    {
        var document = Markdown.Parse(markdown ?? string.Empty, Pipeline);
        var frontMatter = document.Descendants<YamlFrontMatterBlock>().FirstOrDefault()
            ?? throw new InvalidDataException($"{source}: the file must start with front matter between '---' lines.");
        var fields = ReadFrontMatter(frontMatter.Lines.ToString(), source);

        // Notes to the practitioner in HTML comments stay in the file and never reach a visitor.
        foreach (var comment in document.Descendants<HtmlBlock>().Where(b => b.Type == HtmlBlockType.Comment).ToList())
        {
            comment.Parent?.Remove(comment);
        }

        // The page title is the one h1; headings in the body start at h2.
        foreach (var heading in document.Descendants<HeadingBlock>().Where(h => h.Level == 1))
        {
            heading.Level = 2;
        }

        return (fields, document.ToHtml(Pipeline), CountWords(PlainText(document)));
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

    private static string PlainText(MarkdownDocument document)
    {
        using var writer = new StringWriter(CultureInfo.InvariantCulture);
        var renderer = new HtmlRenderer(writer) { EnableHtmlForBlock = false, EnableHtmlForInline = false, EnableHtmlEscape = false };
        Pipeline.Setup(renderer);
        renderer.Render(document);
        writer.Flush();
        return writer.ToString();
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
