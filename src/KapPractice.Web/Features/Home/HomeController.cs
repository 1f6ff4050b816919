using KapPractice.Web.Features.Content;
using KapPractice.Web.Infrastructure;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.OutputCaching;

namespace KapPractice.Web.Features.Home;

public sealed class HomeController(ContentLibrary content) : Controller
{
    [HttpGet("/")]
    [OutputCache(PolicyName = SiteSetup.PublicPagesCachePolicy)]
    public IActionResult Index() => View(content.Articles);
}
