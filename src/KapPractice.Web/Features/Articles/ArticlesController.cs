using KapPractice.Web.Features.Content;
using KapPractice.Web.Infrastructure;
using KapPractice.Web.Infrastructure.Performance;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.OutputCaching;

namespace KapPractice.Web.Features.Articles;

[CompressedPage]
public sealed class ArticlesController(ContentLibrary content) : Controller
{
    [HttpGet("/articles")]
    [OutputCache(PolicyName = SiteSetup.PublicPagesCachePolicy)]
    public IActionResult Index() => View(content.Articles);

    [HttpGet("/articles/{slug}")]
    [OutputCache(PolicyName = SiteSetup.PublicPagesCachePolicy)]
    public IActionResult Show(string slug) => content.Find(slug) is { } article ? View(article) : NotFound();
}
