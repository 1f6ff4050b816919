using Microsoft.Playwright;

namespace KapPractice.BrowserTests;

public sealed class PublicPagesTests(BrowserFixture browser) : IClassFixture<BrowserFixture>
{
    public static TheoryData<string, string, int> Pages => new()
    {
        { "/", "home", 375 },
        { "/", "home", 1280 },
    };

    [Theory]
    [MemberData(nameof(Pages))]
    public async Task Page_renders_with_crisis_notice_and_no_accessibility_violations(string path, string name, int width)
    {
        var page = await browser.NewPageAsync(width);
        var response = await page.GotoAsync(path);

        Assert.Equal(200, response!.Status);
        await Assertions.Expect(page.Locator("footer")).ToContainTextAsync("988");
        await Assertions.Expect(page.Locator("h1")).ToHaveCountAsync(1);
        await BrowserFixture.ScreenshotAsync(page, $"{name}-{width}");
        await BrowserFixture.AssertNoAxeViolationsAsync(page);
        await page.Context.CloseAsync();
    }
}
