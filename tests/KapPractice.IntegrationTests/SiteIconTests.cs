using System.Net;
using AngleSharp.Dom;

namespace KapPractice.IntegrationTests;

/// <summary>The tab icon: every icon a page links, and the /favicon.ico crawlers ask for, is served (a 404 is a console error in the browser).</summary>
[Collection(SharedPublicApp.Name)]
public sealed class SiteIconTests(KapPracticeFactory factory) : IAsyncLifetime
{
    public Task InitializeAsync() => factory.ResetAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task Every_icon_the_layout_links_is_served_as_an_image()
    {
        var client = factory.CreateClient();
        var page = await client.GetDocumentAsync("/");
        var icons = page.QuerySelectorAll("link[rel=icon]").Select(link => link.GetAttribute("href")!).ToList();

        Assert.Contains(icons, href => href.EndsWith(".svg", StringComparison.Ordinal) || href.Contains(".svg?", StringComparison.Ordinal));
        foreach (var href in icons.Append("/favicon.ico"))
        {
            using var response = await client.GetAsync(new Uri(href, UriKind.Relative));
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.StartsWith("image/", response.Content.Headers.ContentType?.MediaType, StringComparison.Ordinal);
        }
    }
}
