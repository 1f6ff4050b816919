using Microsoft.Playwright;

namespace KapPractice.BrowserTests;

public sealed class PublicPagesTests(BrowserFixture browser) : IClassFixture<BrowserFixture>, IAsyncLifetime
{
    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync() => browser.ClosePagesAsync();

    private const string ArticlePath = "/articles/5-benefits-of-ketamine-assisted-psychotherapy";

    public static TheoryData<string, string, int, int> Pages
    {
        get
        {
            var pages = new TheoryData<string, string, int, int>();
            (string Path, string Name, int Status)[] all =
            [
                ("/", "home", 200),
                ("/articles", "articles", 200),
                (ArticlePath, "article", 200),
                ("/about", "about", 200),
                ("/privacy", "privacy", 200),
                ("/fees", "fees", 200),
                ("/no-such-page", "not-found", 404),
            ];
            foreach (var (path, name, status) in all)
            {
                pages.Add(path, name, status, 375);
                pages.Add(path, name, status, 1280);
            }

            return pages;
        }
    }

    [Theory]
    [MemberData(nameof(Pages))]
    public async Task Page_renders_with_one_h1_the_crisis_notice_and_no_accessibility_violations(string path, string name, int status, int width)
    {
        var page = await browser.NewPageAsync(width);
        var response = await page.GotoAsync(path);

        Assert.Equal(status, response!.Status);
        Assert.True(await page.EvaluateAsync<bool>("[...document.styleSheets].some(s => s.cssRules.length > 0)"), "the stylesheet did not load");
        await Assertions.Expect(page.Locator("h1")).ToHaveCountAsync(1);
        var footer = page.Locator("footer");
        await Assertions.Expect(footer).ToContainTextAsync("988");
        await Assertions.Expect(footer).ToContainTextAsync("741741");
        await Assertions.Expect(footer).ToContainTextAsync("911");
        await BrowserFixture.ScreenshotAsync(page, $"{name}-{width}");
        await BrowserFixture.ScreenshotAsync(page, $"{name}-{width}-first-screen", fullPage: false);
        await BrowserFixture.AssertNoAxeViolationsAsync(page);
        await page.Context.CloseAsync();
    }

    [Theory]
    [InlineData(375)]
    [InlineData(1280)]
    public async Task Pages_do_not_scroll_sideways(int width)
    {
        var page = await browser.NewPageAsync(width);
        foreach (var path in new[] { "/", "/articles", ArticlePath, "/about", "/privacy", "/fees" })
        {
            await page.GotoAsync(path);
            var scrollWidth = await page.EvaluateAsync<int>("document.documentElement.scrollWidth");
            Assert.True(scrollWidth <= width, $"{path} is {scrollWidth}px wide at {width}px");
        }

        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task Skip_link_is_the_first_stop_and_moves_focus_to_the_main_content()
    {
        var page = await browser.NewPageAsync(375);
        await page.GotoAsync(ArticlePath);

        await page.Keyboard.PressAsync("Tab");
        var skip = page.Locator(".skip-link");
        await Assertions.Expect(skip).ToBeFocusedAsync();
        await Assertions.Expect(skip).ToBeInViewportAsync();
        await page.Keyboard.PressAsync("Enter");

        await Assertions.Expect(page.Locator("main")).ToBeFocusedAsync();
        await page.Context.CloseAsync();
    }
}
