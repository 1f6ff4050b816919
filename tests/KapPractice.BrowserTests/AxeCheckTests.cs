using Microsoft.Playwright;
using Xunit.Sdk;

namespace KapPractice.BrowserTests;

/// <summary>The accessibility check every page test relies on finds what it should, in the mode it runs in.</summary>
public sealed class AxeCheckTests
{
    [Fact]
    public async Task The_check_fails_on_a_page_with_an_unlabelled_field_and_a_picture_without_text()
    {
        var browser = await SharedChromium.GetAsync();
        await using var context = await browser.NewContextAsync();
        var page = await context.NewPageAsync();
        await page.SetContentAsync("""
            <!doctype html><html lang="en"><head><title>Broken</title></head>
            <body><main><h1>Broken</h1><img src="data:image/gif;base64,R0lGODlhAQABAAAAACw="><input type="text"></main></body></html>
            """);

        var failure = await Assert.ThrowsAsync<FailException>(() => BrowserFixture.AssertNoAxeViolationsAsync(page));

        Assert.Contains("image-alt", failure.Message, StringComparison.Ordinal);
        Assert.Contains("label", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_check_refuses_a_page_with_a_frame_it_would_not_look_into()
    {
        var browser = await SharedChromium.GetAsync();
        await using var context = await browser.NewContextAsync();
        var page = await context.NewPageAsync();
        await page.SetContentAsync("""
            <!doctype html><html lang="en"><head><title>Framed</title></head>
            <body><main><h1>Framed</h1><iframe title="inner" srcdoc="<p>inside</p>"></iframe></main></body></html>
            """);

        var failure = await Assert.ThrowsAsync<TrueException>(() => BrowserFixture.AssertNoAxeViolationsAsync(page));

        Assert.Contains("has frames", failure.Message, StringComparison.Ordinal);
    }
}
