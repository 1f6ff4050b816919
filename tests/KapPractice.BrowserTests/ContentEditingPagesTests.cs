using System.Globalization;
using System.Text;
using KapPractice.Web.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace KapPractice.BrowserTests;

/// <summary>
/// The practitioner's own site work, in a real browser with no file edited and no restart: a new article with a phone
/// photo (GPS in its EXIF), previewed, scheduled and live at its time with the photo stripped and resized; renamed, with
/// the old link still leading to it; an earlier version restored; her fees filled in and published. axe on every editor
/// page; screenshots at 375 and 1280 px.
/// </summary>
[Collection(AdminApp.Name)]
public sealed class ContentEditingPagesTests(AdminBrowserFixture browser) : IAsyncLifetime
{
    public Task InitializeAsync() => browser.App.ResetAsync();

    public Task DisposeAsync() => browser.ClosePagesAsync();

    private async Task SignInAsync(IPage page)
    {
        await page.GotoAsync("/admin/content");
        await page.GetByLabel("Email").FillAsync(AdminBrowserFixture.Email);
        await page.GetByLabel("Password").FillAsync(AdminBrowserFixture.Password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in", Exact = true }).ClickAsync();
        await page.GetByLabel("Authenticator code or recovery code").FillAsync(await browser.Phone.NextCodeAsync());
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in", Exact = true }).ClickAsync();
        await Assertions.Expect(page.Locator("h1")).ToHaveTextAsync("Site content");
    }

    private static async Task LookAsync(IPage page, string name)
    {
        await BrowserFixture.ScreenshotAsync(page, $"{name}-{page.ViewportSize!.Width}");
        await BrowserFixture.AssertNoAxeViolationsAsync(page);
    }

    private static Task ClickAsync(IPage page, string button) => page.GetByRole(AriaRole.Button, new() { Name = button, Exact = true }).ClickAsync();

    [Fact]
    public async Task She_writes_an_article_with_a_photo_schedules_it_renames_it_restores_a_version_and_publishes_her_fees()
    {
        var page = await browser.NewPageAsync();
        await SignInAsync(page);
        await LookAsync(page, "content-list");

        // A phone photo, GPS position in its EXIF.
        await page.GotoAsync("/admin/content/images");
        var photo = TestImages.JpegWithGps(2000, 1000);
        await page.GetByLabel("Picture file").SetInputFilesAsync(new FilePayload { Name = photo.FileName, MimeType = photo.ContentType, Buffer = photo.Bytes });
        await page.GetByLabel("What the picture shows").FillAsync("Paints and brushes on the studio table");
        await ClickAsync(page, "Upload");
        var line = await page.Locator("input.markdown-line").First.InputValueAsync();
        Assert.StartsWith("![Paints and brushes on the studio table](/media/", line, StringComparison.Ordinal);
        await LookAsync(page, "content-images");

        // Write it, save a draft, preview it.
        await page.GotoAsync("/admin/content/new");
        await LookAsync(page, "content-new");
        await page.GetByLabel("Title").FillAsync("Art after loss");
        await page.GetByLabel("Address").FillAsync("art-after-loss");
        await page.GetByLabel("Summary").FillAsync("How making art can help after a loss.");
        await page.GetByLabel("Cover picture (optional)").SelectOptionAsync(new SelectOptionValue { Label = "Paints and brushes on the studio table" });
        await page.GetByLabel("Text (Markdown)").FillAsync("Grief asks for room.\n\n" + line + "\n\nColour and line can hold it.");
        await ClickAsync(page, "Save draft");
        await Assertions.Expect(page.Locator(".flash")).ToContainTextAsync("Saved as a draft.");
        var editor = page.Url;

        await ClickAsync(page, "Preview");
        await Assertions.Expect(page.Locator(".preview-banner")).ToContainTextAsync("Preview: not saved and not published.");
        await Assertions.Expect(page.Locator("main h1")).ToHaveTextAsync("Art after loss");
        await Assertions.Expect(page.Locator("main article img.cover")).ToHaveAttributeAsync("alt", "Paints and brushes on the studio table");
        await LookAsync(page, "content-preview");

        // Schedule it two minutes ahead, in the practice's zone.
        await page.GotoAsync(editor);
        var clock = browser.App.Services.GetRequiredService<PracticeClock>();
        var at = clock.LocalNow.AddMinutes(2);
        await page.GetByLabel($"Date and time ({clock.ZoneName} time)").FillAsync(at.ToString("yyyy-MM-ddTHH:mm", CultureInfo.InvariantCulture));
        await ClickAsync(page, "Schedule");
        await Assertions.Expect(page.Locator(".flash")).ToContainTextAsync("Scheduled: it goes live");

        var visitor = await browser.NewPageAsync(375, 800);
        var notYet = await visitor.GotoAsync("/articles/art-after-loss");
        Assert.Equal(404, notYet!.Status);

        browser.Clock.Advance(TimeSpan.FromMinutes(3));
        await Eventually.TrueAsync(
            async () => (await visitor.GotoAsync("/articles/art-after-loss"))!.Status == 200,
            TimeSpan.FromSeconds(20),
            "the scheduled article to go live");
        await LookAsync(visitor, "content-article-live");

        // The photo: resized, with width and height, lazy in the text, and nothing of its EXIF left.
        var body = visitor.Locator("main article p img").First;
        await Assertions.Expect(body).ToHaveAttributeAsync("loading", "lazy");
        Assert.Contains("480w", await body.GetAttributeAsync("srcset"), StringComparison.Ordinal);
        Assert.NotNull(await body.GetAttributeAsync("width"));
        var src = (await body.GetAttributeAsync("src"))!;
        var served = await visitor.APIRequest.GetAsync(src);
        Assert.Equal("image/webp", served.Headers["content-type"]);
        var bytes = await served.BodyAsync();
        var latin = Encoding.Latin1.GetString(bytes);
        Assert.DoesNotContain("Exif", latin, StringComparison.Ordinal);
        Assert.DoesNotContain(Encoding.Latin1.GetString(TestImages.RationalBytes(TestImages.Latitude)), latin, StringComparison.Ordinal);
        Assert.True(await visitor.EvaluateAsync<bool>("() => [...document.images].every(i => i.complete ? i.naturalWidth > 0 : true)"));

        // Rename it: the old link still leads there.
        await page.GotoAsync(editor);
        await page.GetByLabel("Address").FillAsync("making-art-after-loss");
        await ClickAsync(page, "Publish now");
        await Assertions.Expect(page.Locator(".flash")).ToContainTextAsync("Published. Visitors see it now");
        await visitor.GotoAsync("/articles/art-after-loss");
        Assert.EndsWith("/articles/making-art-after-loss", visitor.Url, StringComparison.Ordinal);
        await Assertions.Expect(visitor.Locator("main h1")).ToHaveTextAsync("Art after loss");

        // Restore the first draft's wording from the history.
        await page.GotoAsync(editor);
        await page.GetByLabel("Text (Markdown)").FillAsync("A text she does not like after all.");
        await ClickAsync(page, "Save draft");
        await page.GetByRole(AriaRole.Link, new() { Name = "History: every saved version, compare and restore" }).ClickAsync();
        await LookAsync(page, "content-history");
        await ClickAsync(page, "Restore this version (revision 1)");
        await Assertions.Expect(page.Locator("h1")).ToHaveTextAsync("Art after loss");
        Assert.StartsWith("Grief asks for room.", await page.GetByLabel("Text (Markdown)").InputValueAsync(), StringComparison.Ordinal);

        // Her fees: the template's placeholders refuse publishing, her own text goes live.
        await page.GotoAsync("/admin/content");
        await page.GetByRole(AriaRole.Link, new() { Name = "Fees", Exact = true }).ClickAsync();
        await ClickAsync(page, "Publish now");
        await Assertions.Expect(page.Locator("#Body-error")).ToContainTextAsync("[fee]");
        await LookAsync(page, "content-fees-refused");
        await page.GetByLabel("Text (Markdown)").FillAsync("- **Consultation** (15 minutes, phone): free\n- **KAP session** (2 to 3 hours): $450");
        await ClickAsync(page, "Publish now");
        await Assertions.Expect(page.Locator(".flash")).ToContainTextAsync("Published. Visitors see it now");
        await visitor.GotoAsync("/fees");
        await Assertions.Expect(visitor.Locator("main")).ToContainTextAsync("$450");
        await Assertions.Expect(visitor.Locator("#your-right-to-a-good-faith-estimate")).ToBeVisibleAsync();

        // As on her phone.
        await page.SetViewportSizeAsync(375, 800);
        await page.GotoAsync(editor);
        await LookAsync(page, "content-editor");
        await page.GotoAsync("/admin/content");
        await LookAsync(page, "content-list");
    }
}
