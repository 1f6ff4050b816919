using Deque.AxeCore.Commons;
using Deque.AxeCore.Playwright;
using Microsoft.Playwright;
using Xunit.Sdk;

namespace KapPractice.BrowserTests;

/// <summary>The accessibility check every page test relies on finds what it should, in the mode it runs in.</summary>
public sealed class AxeCheckTests
{
    private const string BrokenPage = """
        <!doctype html><html lang="en"><head><title>Broken</title></head>
        <body><main><h1>Broken</h1><img src="data:image/gif;base64,R0lGODlhAQABAAAAACw="><input type="text"></main></body></html>
        """;

    [Fact]
    public async Task The_check_fails_on_a_page_with_an_unlabelled_field_and_a_picture_without_text()
    {
        var (context, page) = await OpenAsync(BrokenPage);
        await using var _ = context;

        var failure = await Assert.ThrowsAsync<FailException>(() => BrowserFixture.AssertNoAxeViolationsAsync(page));

        // One line per violation, each starting with axe's rule id.
        var rules = failure.Message.Split('\n').Skip(1).Select(line => line.Split(' ')[0]).ToList();
        Assert.Contains("image-alt", rules);
        Assert.Contains("label", rules);
    }

    [Fact]
    public async Task The_in_page_mode_finds_what_the_bindings_default_mode_finds()
    {
        var (context, page) = await OpenAsync(BrokenPage);
        await using var _ = context;
        var options = BrowserFixture.AxeOptions();

        var byDefault = await page.RunAxe(options);
#pragma warning disable CS0618 // the mode BrowserFixture.AssertNoAxeViolationsAsync uses
        var inPage = await page.RunAxeLegacy(context: null, options, axeSource: null);
#pragma warning restore CS0618

        string[] Rules(AxeResult result) => [.. result.Violations.Select(v => $"{v.Id} x{v.Nodes.Length}").Order(StringComparer.Ordinal)];
        Assert.NotEmpty(Rules(byDefault));
        Assert.Equal(Rules(byDefault), Rules(inPage));
    }

    [Fact]
    public async Task The_check_refuses_a_page_with_a_frame_it_would_not_look_into()
    {
        var (context, page) = await OpenAsync("""
            <!doctype html><html lang="en"><head><title>Framed</title></head>
            <body><main><h1>Framed</h1><iframe title="inner" srcdoc="<p>inside</p>"></iframe></main></body></html>
            """);
        await using var _ = context;

        var failure = await Assert.ThrowsAsync<TrueException>(() => BrowserFixture.AssertNoAxeViolationsAsync(page));

        Assert.Contains("has frames", failure.Message, StringComparison.Ordinal);
    }

    private static async Task<(IBrowserContext Context, IPage Page)> OpenAsync(string html)
    {
        var browser = await SharedChromium.GetAsync();
        var context = await browser.NewContextAsync();
        var page = await context.NewPageAsync();
        await page.SetContentAsync(html);
        return (context, page);
    }
}
