using KapPractice.Web.Features.Content;
using KapPractice.Web.Infrastructure;
using KapPractice.Web.Infrastructure.Performance;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.OutputCaching;

namespace KapPractice.Web.Features.Pages;

/// <summary>The about/bio page, the privacy notice and the fees, as she last published them.</summary>
[CompressedPage]
public sealed class PagesController(PublishedContent content) : Controller
{
    public const string FeesPath = "/fees";

    [HttpGet("/about")]
    [OutputCache(PolicyName = SiteSetup.PublicPagesCachePolicy)]
    public IActionResult About() => content.Current.About is { } page ? View(page) : NotFound();

    [HttpGet("/privacy")]
    [OutputCache(PolicyName = SiteSetup.PublicPagesCachePolicy)]
    public IActionResult Privacy() => content.Current.Privacy is { } page ? View(page) : NotFound();

    /// <summary>Her fees once she has published them; until then a short "on request" text. The Good Faith Estimate notice is on both.</summary>
    [HttpGet(FeesPath)]
    [OutputCache(PolicyName = SiteSetup.PublicPagesCachePolicy)]
    public IActionResult Fees() => View(content.Current.Fees);
}
