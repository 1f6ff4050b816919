using System.Xml.Linq;

namespace KapPractice.IntegrationTests;

public sealed class SiteUrlTests(KapPracticeFactory factory) : IClassFixture<KapPracticeFactory>
{
    [Fact]
    public async Task Configured_site_url_is_used_for_canonical_links_the_sitemap_and_robots()
    {
        var client = factory.WithSetting("Practice:SiteUrl", "https://www.example.org/").CreateClient();

        var page = await client.GetDocumentAsync("/about");
        var sitemap = XDocument.Parse(await client.GetStringAsync(new Uri("/sitemap.xml", UriKind.Relative)));
        var robots = await client.GetStringAsync(new Uri("/robots.txt", UriKind.Relative));

        Assert.Equal("https://www.example.org/about", page.QuerySelector("link[rel=canonical]")!.GetAttribute("href"));
        Assert.All(sitemap.Descendants().Where(e => e.Name.LocalName == "loc"), loc => Assert.StartsWith("https://www.example.org/", loc.Value, StringComparison.Ordinal));
        Assert.Contains("Sitemap: https://www.example.org/sitemap.xml", robots, StringComparison.Ordinal);
    }
}
