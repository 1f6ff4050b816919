using Microsoft.AspNetCore.Mvc.ViewFeatures;

namespace KapPractice.Web.Infrastructure;

/// <summary>What the layout needs to describe a page to people, search engines and link previews.</summary>
/// <param name="Title">The page's own title; the layout adds the practice name.</param>
/// <param name="Description">One or two sentences for search results and previews.</param>
/// <param name="CanonicalPath">The page's one true path; null uses the request path.</param>
/// <param name="OpenGraphType">website, article or profile.</param>
/// <param name="JsonLd">schema.org JSON-LD, already serialized.</param>
/// <param name="NoIndex">Keep this page out of search engines.</param>
/// <param name="ImagePath">A picture of hers for link previews (og:image), as a path on this site.</param>
public sealed record PageMeta(
    string Title,
    string Description,
    string? CanonicalPath = null,
    string OpenGraphType = "website",
    string? JsonLd = null,
    bool NoIndex = false,
    string? ImagePath = null);

public static class PageMetaExtensions
{
    private const string Key = "KapPractice.PageMeta";

    public static void SetPageMeta(this ViewDataDictionary viewData, PageMeta meta)
    {
        ArgumentNullException.ThrowIfNull(viewData);
        viewData[Key] = meta;
    }

    public static PageMeta GetPageMeta(this ViewDataDictionary viewData)
    {
        ArgumentNullException.ThrowIfNull(viewData);
        return viewData[Key] as PageMeta ?? new PageMeta("Ketamine-assisted psychotherapy in New York", "Leslie Portillo, LCAT, ATR-BC: ketamine-assisted psychotherapy and creative arts therapy.");
    }
}
