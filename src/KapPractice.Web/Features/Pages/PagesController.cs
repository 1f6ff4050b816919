using KapPractice.Web.Features.Content;
using KapPractice.Web.Infrastructure;
using KapPractice.Web.Infrastructure.Performance;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.OutputCaching;

namespace KapPractice.Web.Features.Pages;

/// <summary>The about/bio page, the privacy notice and the fees, written in Markdown under Content/.</summary>
[CompressedPage]
public sealed class PagesController(ContentLibrary content) : Controller
{
    public const string FeesPath = "/fees";

    [HttpGet("/about")]
    [OutputCache(PolicyName = SiteSetup.PublicPagesCachePolicy)]
    public IActionResult About() => View(content.About);

    [HttpGet("/privacy")]
    [OutputCache(PolicyName = SiteSetup.PublicPagesCachePolicy)]
    public IActionResult Privacy() => View(content.Privacy);

    [HttpGet(FeesPath)]
    [OutputCache(PolicyName = SiteSetup.PublicPagesCachePolicy)]
    public IActionResult Fees() => View(content.Fees);
}
