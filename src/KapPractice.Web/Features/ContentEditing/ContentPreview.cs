using KapPractice.Web.Domain;
using KapPractice.Web.Features.Content;
using KapPractice.Web.Infrastructure.Data;

namespace KapPractice.Web.Features.ContentEditing;

/// <summary>An unsaved page or article as the public site would show it: the public view to render and its model.</summary>
/// <param name="Placeholders">The square-bracket placeholders still in the text, which the preview's banner names.</param>
public sealed record ContentPreview(string ViewPath, object Model, IReadOnlyList<string> Placeholders)
{
    /// <summary>Renders <paramref name="posted"/> (valid) the way the published copy renders a revision, nothing saved.</summary>
    public static async Task<ContentPreview> BuildAsync(KapDbContext db, ContentLibrary current, ContentItem item, ContentForm posted, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(current);
        ArgumentNullException.ThrowIfNull(item);
        ArgumentNullException.ThrowIfNull(posted);
        var images = await PublishedContent.LoadImagesAsync(db, cancellationToken);
        var rendered = ContentRenderer.Render(posted.Body ?? string.Empty, images);
        var image = posted.ImageName is { } key ? images.GetValueOrDefault(key) : null;
        if (item.Kind == ContentKind.Article)
        {
            var article = new Article(
                posted.Slug!, posted.Title!, posted.Summary!, posted.Author!,
                ContentForm.ParseDate(posted.PublishedOn)!.Value, ContentForm.ParseDate(posted.UpdatedOn), rendered.Html, rendered.WordCount, image);
            return new ContentPreview("~/Features/Articles/Show.cshtml", article, rendered.Placeholders);
        }

        var page = new ContentPage(posted.Title!, posted.Summary!, ContentForm.ParseDate(posted.UpdatedOn), rendered.Html, image);
        if (item.Slug == SitePages.Home)
        {
            var pages = SitePages.All.Where(k => k != SitePages.Home && current.Page(k) is not null).ToDictionary(k => k, k => current.Page(k)!);
            pages[SitePages.Home] = page;
            return new ContentPreview("~/Features/Home/Index.cshtml", new ContentLibrary(current.Articles, pages), rendered.Placeholders);
        }

        var view = item.Slug switch
        {
            SitePages.About => "About",
            SitePages.Fees => "Fees",
            _ => "Privacy",
        };
        return new ContentPreview($"~/Features/Pages/{view}.cshtml", page, rendered.Placeholders);
    }
}
