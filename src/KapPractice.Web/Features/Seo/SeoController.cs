using System.Globalization;
using System.Text;
using System.Xml.Linq;
using KapPractice.Web.Features.Content;
using KapPractice.Web.Infrastructure;
using KapPractice.Web.Infrastructure.Performance;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.OutputCaching;
using Microsoft.Extensions.Options;

namespace KapPractice.Web.Features.Seo;

/// <summary>What search engines and feed readers fetch: sitemap.xml, robots.txt and an Atom feed of the articles.</summary>
[CompressedPage]
public sealed class SeoController(PublishedContent published, IOptions<PracticeOptions> practice) : Controller
{
    private static readonly XNamespace SitemapNs = "http://www.sitemaps.org/schemas/sitemap/0.9";
    private static readonly XNamespace AtomNs = "http://www.w3.org/2005/Atom";

    [HttpGet("/sitemap.xml")]
    [OutputCache(PolicyName = SiteSetup.PublicPagesCachePolicy)]
    public IActionResult Sitemap()
    {
        var content = published.Current;
        var baseUrl = Request.BaseUrl(practice.Value);
        XElement Url(string path, DateOnly? lastModified) => new(
            SitemapNs + "url",
            new XElement(SitemapNs + "loc", baseUrl + path),
            lastModified is { } date ? new XElement(SitemapNs + "lastmod", IsoDate(date)) : null);

        var newest = content.Articles.Count > 0 ? content.Articles.Max(a => a.LastModified) : (DateOnly?)null;
        var urlset = new XElement(
            SitemapNs + "urlset",
            Url("/", null),
            Url("/articles", newest),
            content.Articles.Select(a => Url(a.Path, a.LastModified)),
            content.About is { } about ? Url("/about", about.Updated) : null,
            content.Privacy is { } privacy ? Url("/privacy", privacy.Updated) : null,
            Url(Pages.PagesController.FeesPath, content.Fees?.Updated),
            Url("/inquiry", null));
        return Xml(urlset, "application/xml");
    }

    [HttpGet("/robots.txt")]
    [OutputCache(PolicyName = SiteSetup.PublicPagesCachePolicy)]
    public IActionResult Robots()
    {
        var text = new StringBuilder()
            .Append("User-agent: *\n")
            .Append("Disallow: /admin\n")
            .Append('\n')
            .Append(CultureInfo.InvariantCulture, $"Sitemap: {Request.BaseUrl(practice.Value)}/sitemap.xml\n")
            .ToString();
        return Content(text, "text/plain; charset=utf-8");
    }

    [HttpGet("/feed.xml")]
    [OutputCache(PolicyName = SiteSetup.PublicPagesCachePolicy)]
    public IActionResult Feed()
    {
        var content = published.Current;
        var baseUrl = Request.BaseUrl(practice.Value);
        var updated = content.Articles.Count > 0 ? content.Articles.Max(a => a.LastModified) : new DateOnly(2024, 12, 9);
        var feed = new XElement(
            AtomNs + "feed",
            new XAttribute(XNamespace.Xml + "base", baseUrl + "/"),
            new XElement(AtomNs + "title", "Articles by Leslie Portillo, LCAT, ATR-BC"),
            new XElement(AtomNs + "id", baseUrl + "/articles"),
            new XElement(AtomNs + "updated", AtomDate(updated)),
            new XElement(AtomNs + "link", new XAttribute("rel", "self"), new XAttribute("href", baseUrl + "/feed.xml")),
            new XElement(AtomNs + "link", new XAttribute("rel", "alternate"), new XAttribute("type", "text/html"), new XAttribute("href", baseUrl + "/articles")),
            new XElement(AtomNs + "author", new XElement(AtomNs + "name", "Leslie Portillo, LCAT, ATR-BC"), new XElement(AtomNs + "uri", baseUrl + "/about")),
            content.Articles.Select(a => new XElement(
                AtomNs + "entry",
                new XElement(AtomNs + "title", a.Title),
                new XElement(AtomNs + "id", baseUrl + a.Path),
                new XElement(AtomNs + "link", new XAttribute("rel", "alternate"), new XAttribute("type", "text/html"), new XAttribute("href", baseUrl + a.Path)),
                new XElement(AtomNs + "published", AtomDate(a.Published)),
                new XElement(AtomNs + "updated", AtomDate(a.LastModified)),
                new XElement(AtomNs + "author", new XElement(AtomNs + "name", a.Author)),
                new XElement(AtomNs + "summary", a.Summary),
                new XElement(AtomNs + "content", new XAttribute("type", "html"), a.Html))));
        return Xml(feed, "application/atom+xml");
    }

    private ContentResult Xml(XElement root, string mediaType) =>
        Content(new XDocument(new XDeclaration("1.0", "utf-8", null), root).Declaration + "\n" + root.ToString(SaveOptions.DisableFormatting), mediaType + "; charset=utf-8");

    private static string IsoDate(DateOnly date) => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static string AtomDate(DateOnly date) => IsoDate(date) + "T00:00:00Z";
}
