using System.Net;

namespace KapPractice.IntegrationTests;

public sealed class PublicSiteTests(KapPracticeFactory factory) : IClassFixture<KapPracticeFactory>
{
    [Fact]
    public async Task Home_page_shows_the_crisis_notice_in_the_footer()
    {
        var client = factory.CreateClient();

        var page = await client.GetDocumentAsync("/");

        var footer = page.QuerySelector("footer")!.TextContent;
        Assert.Contains("988", footer, StringComparison.Ordinal);
        Assert.Contains("741741", footer, StringComparison.Ordinal);
        Assert.Contains("911", footer, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Unknown_path_returns_a_404_page()
    {
        var client = factory.CreateClient();

        var page = await client.GetDocumentAsync("/no-such-page", HttpStatusCode.NotFound);

        Assert.Equal("Page not found", page.QuerySelector("h1")!.TextContent);
    }
}
