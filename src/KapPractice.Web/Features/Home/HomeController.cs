using KapPractice.Web.Features.Content;
using KapPractice.Web.Infrastructure;
using KapPractice.Web.Infrastructure.Performance;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.OutputCaching;

namespace KapPractice.Web.Features.Home;

[CompressedPage]
public sealed class HomeController(PublishedContent content) : Controller
{
    [HttpGet("/")]
    [OutputCache(PolicyName = SiteSetup.PublicPagesCachePolicy)]
    public IActionResult Index() => View(content.Current);
}
