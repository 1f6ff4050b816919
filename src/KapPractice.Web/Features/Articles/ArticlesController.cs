using KapPractice.Web.Features.Content;
using KapPractice.Web.Infrastructure;
using KapPractice.Web.Infrastructure.Performance;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.OutputCaching;

namespace KapPractice.Web.Features.Articles;

[CompressedPage]
public sealed class ArticlesController(PublishedContent content) : Controller
{
    [HttpGet("/articles")]
    [OutputCache(PolicyName = SiteSetup.PublicPagesCachePolicy)]
    public IActionResult Index() => View(content.Current.Articles);

    /// <summary>The article; its old address after a rename answers 308 to the new one, a deleted one's 410.</summary>
    [HttpGet("/articles/{slug}")]
    [OutputCache(PolicyName = SiteSetup.PublicPagesCachePolicy)]
    public IActionResult Show(string slug)
    {
        var library = content.Current;
        if (library.Find(slug) is { } article)
        {
            return View(article);
        }

        if (library.RedirectFor(slug) is { } moved)
        {
            return RedirectPermanentPreserveMethod(Article.PathOf(moved));
        }

        return library.IsGone(slug) ? StatusCode(StatusCodes.Status410Gone) : NotFound();
    }
}
