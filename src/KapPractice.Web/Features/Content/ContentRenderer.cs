using System.Globalization;
using System.Text.RegularExpressions;
using AngleSharp.Dom;
using Ganss.Xss;
using Markdig;
using Markdig.Renderers;
using Markdig.Syntax;

namespace KapPractice.Web.Features.Content;

/// <summary>What the public site shows for a Markdown body, with what the editor needs to know about it.</summary>
/// <param name="Placeholders">Each "[...]" left in the text for her to fill in; a page holding one is not published.</param>
/// <param name="Problem">Why the text could not be rendered (it is then shown as plain text); null when it was.</param>
public sealed record RenderedBody(string Html, int WordCount, IReadOnlyList<string> Placeholders, string? Problem = null);

/// <summary>
/// Markdown to the HTML visitors get. Markdig renders it (raw HTML allowed, so a page can hold a definition list), then
/// HtmlSanitizer keeps only plain document markup: no script, no event attributes, no frames or forms, no style
/// (the CSP forbids inline style), no links but http, https, mailto and tel, and no image from another site (no
/// third-party request). Links to other sites open with rel="noopener noreferrer". Images of her own library
/// (<c>/media/...</c>) get every width she has as srcset, their size and lazy loading (see docs/practitioner-guide.md).
/// </summary>
public static partial class ContentRenderer
{
    /// <summary>The path images of her library are served under.</summary>
    public const string MediaPath = "/media/";

    /// <summary>The width an article column shows an image at, for the browser to pick a file from srcset.</summary>
    public const string ImageSizes = "(min-width: 48rem) 46rem, 100vw";

    internal static readonly MarkdownPipeline Pipeline = new MarkdownPipelineBuilder()
        .UseYamlFrontMatter()
        .UseCustomContainers()
        .UseAutoIdentifiers()
        .Build();

    private static readonly string[] RemovedTags =
        ["form", "input", "button", "select", "option", "optgroup", "textarea", "label", "fieldset", "legend", "style"];

    /// <summary>
    /// Renders a short sample through Markdig, the sanitizer and its post-processing once and discards it, so that the
    /// published copy built at start-up (<see cref="PublishedContent"/>) does not pay for Markdig's, HtmlSanitizer's and
    /// AngleSharp's first use (docs/performance.md). Program runs it on a thread-pool thread while the host is built, and
    /// drops what it returns.
    /// </summary>
    public static RenderedBody WarmUp() => Render(WarmUpSample);

    private const string WarmUpSample = """
        # A heading

        Some *emphasis*, **strong** text, a [link to another site](https://example.org/) and one [to a page](/about).

        - a list item
        - [a phone number](tel:+15550100)

        <!-- a note to the practitioner -->
        <dl><dt>A term</dt><dd>its definition</dd></dl>

        ::: cta
        [Send an inquiry](/inquiry)
        :::

        ![a picture not in her library](/media/sample.jpg)
        """;

    public static RenderedBody Render(string markdown, IReadOnlyDictionary<string, ContentImageView>? images = null)
    {
        try
        {
            return RenderMarkdown(markdown ?? string.Empty, images);
        }
        catch (Exception exception) when (exception is ArgumentException or InvalidOperationException)
        {
            // Markdig refuses text nested beyond its depth limit: the editor says so, and the site shows it as plain text, never a 500.
            var text = System.Net.WebUtility.HtmlEncode(markdown ?? string.Empty);
            return new RenderedBody($"<p>{text}</p>", MarkdownContent.CountWords(markdown ?? string.Empty), [],
                "The text is nested too deeply to show (too many > quotes or list levels inside each other). Flatten it, then save again.");
        }
    }

    private static RenderedBody RenderMarkdown(string markdown, IReadOnlyDictionary<string, ContentImageView>? images)
    {
        var document = Markdown.Parse(markdown, Pipeline);

        // Notes to the practitioner in HTML comments stay in her text and never reach a visitor.
        foreach (var comment in document.Descendants<HtmlBlock>().Where(b => b.Type == HtmlBlockType.Comment).ToList())
        {
            comment.Parent?.Remove(comment);
        }

        // The page title is the one h1; headings in the body start at h2.
        foreach (var heading in document.Descendants<HeadingBlock>().Where(h => h.Level == 1))
        {
            heading.Level = 2;
        }

        var plain = PlainText(document);
        var placeholders = Placeholder().Matches(plain).Select(m => m.Value).Distinct(StringComparer.Ordinal).ToList();
        var html = Sanitize(document.ToHtml(Pipeline), images ?? new Dictionary<string, ContentImageView>());
        return new RenderedBody(html, MarkdownContent.CountWords(plain), placeholders);
    }

    private static string Sanitize(string html, IReadOnlyDictionary<string, ContentImageView> images)
    {
        var sanitizer = new HtmlSanitizer();
        foreach (var tag in RemovedTags)
        {
            sanitizer.AllowedTags.Remove(tag);
        }

        sanitizer.AllowedAttributes.Remove("style");
        sanitizer.AllowedSchemes.Add("mailto");
        sanitizer.AllowedSchemes.Add("tel");
        sanitizer.AllowedAttributes.Add("id");
        sanitizer.AllowedAttributes.Add("class"); // the site's own styles: a ::: cta container, a credentials list
        sanitizer.PostProcessNode += (_, e) =>
        {
            if (e.Node is not IElement element)
            {
                return;
            }

            if (element.LocalName == "a" && element.GetAttribute("href") is { } href && IsOtherSite(href))
            {
                element.SetAttribute("rel", "noopener noreferrer");
            }
            else if (element.LocalName == "img")
            {
                ShapeImage(element, images);
            }
        };
        return sanitizer.Sanitize(html);
    }

    private static bool IsOtherSite(string href) =>
        Uri.TryCreate(href, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps);

    private static void ShapeImage(IElement image, IReadOnlyDictionary<string, ContentImageView> images)
    {
        var src = image.GetAttribute("src") ?? string.Empty;
        var match = MediaFile().Match(src);
        if (!match.Success || !images.TryGetValue(match.Groups["key"].Value, out var view))
        {
            // Not one of hers: the site makes no request to another server, and a missing picture shows nothing.
            image.Remove();
            return;
        }

        var alt = image.GetAttribute("alt");
        image.SetAttribute("alt", string.IsNullOrWhiteSpace(alt) ? view.Alt : alt);
        ApplyImage(image, view);
        image.SetAttribute("loading", "lazy");
        image.SetAttribute("decoding", "async");
    }

    /// <summary>src, srcset, sizes, width and height of <paramref name="view"/> on an img element.</summary>
    internal static void ApplyImage(IElement image, ContentImageView view)
    {
        image.SetAttribute("src", view.Src);
        image.SetAttribute("srcset", view.SrcSet);
        image.SetAttribute("sizes", ImageSizes);
        image.SetAttribute("width", view.Width.ToString(CultureInfo.InvariantCulture));
        image.SetAttribute("height", view.Height.ToString(CultureInfo.InvariantCulture));
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

    /// <summary>Square brackets left as text once links are taken out: "$[fee]", "[length, e.g. 50 minutes]".</summary>
    [GeneratedRegex(@"\[[^\[\]\r\n]{1,200}\]")]
    private static partial Regex Placeholder();

    [GeneratedRegex(@"^/media/(?<key>[a-z0-9]{8,40})-\d{1,5}\.(?:webp|jpg|png)$")]
    private static partial Regex MediaFile();
}
