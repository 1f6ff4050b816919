using KapPractice.Web.Domain;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;
using KapPractice.Web.Features.SignIn;

namespace KapPractice.BrowserTests;

/// <summary>Replying from the inquiry page by keyboard alone, and the templates and referrals pages, checked with axe.</summary>
[Collection(AdminApp.Name)]
public sealed class ReplyPagesTests(AdminBrowserFixture browser) : IAsyncLifetime
{
    public Task InitializeAsync() => browser.App.ResetAsync();

    public Task DisposeAsync() => browser.ClosePagesAsync();

    private async Task SignInAsync(IPage page)
    {
        await page.GotoAsync("/admin/sign-in");
        await page.GetByLabel("Email").FillAsync(AdminBrowserFixture.Email);
        await page.GetByLabel("Password").FillAsync(AdminBrowserFixture.Password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in", Exact = true }).ClickAsync();
        await page.GetByLabel("Authenticator code or recovery code").FillAsync(await browser.Phone.NextCodeAsync());
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in", Exact = true }).ClickAsync();
        await Assertions.Expect(page.Locator("h1")).ToHaveTextAsync("Inquiries");
    }

    /// <summary>Presses Tab until the element matching <paramref name="selector"/> has the focus.</summary>
    private static async Task TabToAsync(IPage page, string selector)
    {
        for (var presses = 0; presses < 200; presses++)
        {
            if (await page.EvaluateAsync<bool>("s => document.activeElement?.matches(s) === true", selector))
            {
                return;
            }

            await page.Keyboard.PressAsync("Tab");
        }

        Assert.Fail($"Tab never reached {selector}");
    }

    private static async Task AssertFitsTheScreenAsync(IPage page, int width)
    {
        var scrollWidth = await page.EvaluateAsync<int>("document.documentElement.scrollWidth");
        Assert.True(scrollWidth <= width, $"{page.Url} is {scrollWidth}px wide at {width}px");
    }

    [Fact]
    public async Task The_practitioner_adds_a_referral_and_sends_a_reply_from_a_template_by_keyboard_alone()
    {
        var id = (await browser.App.SubmitAsync(ValidInquiry.With(i => { i.FullName = "Kai Keyboard"; i.Email = "kai@example.com"; }))).Id;
        var page = await browser.NewPageAsync(1280);
        await SignInAsync(page);

        await page.GotoAsync("/admin/referrals/new");
        await TabToAsync(page, "#referral-name");
        await page.Keyboard.TypeAsync("Riverside Peer Support");
        await page.Keyboard.PressAsync("Tab");
        await page.Keyboard.TypeAsync("peer support groups");
        await page.Keyboard.PressAsync("Tab");
        await page.Keyboard.TypeAsync("riverside.example.org");
        await page.Keyboard.PressAsync("Enter");
        await Assertions.Expect(page.Locator(".flash")).ToHaveTextAsync("Referral “Riverside Peer Support” added.");

        await page.GotoAsync($"/admin/inquiries/{id}");
        await TabToAsync(page, "#reply-template");
        await page.Keyboard.TypeAsync("Not a fit");
        var notAFit = await browser.App.WithDbAsync(db => db.ReplyTemplates.Where(t => t.Name == "Not a fit right now").Select(t => t.Id).SingleAsync());
        await Assertions.Expect(page.Locator("#reply-template")).ToHaveValueAsync(notAFit.ToString(System.Globalization.CultureInfo.InvariantCulture));
        await TabToAsync(page, ".referral-choices input[type=checkbox]");
        await page.Keyboard.PressAsync("Space");
        await TabToAsync(page, ".reply-template button");
        await page.Keyboard.PressAsync("Enter");

        await Assertions.Expect(page.Locator("#reply-body")).ToHaveValueAsync(new System.Text.RegularExpressions.Regex("^Dear Kai,"));
        await Assertions.Expect(page.Locator("#reply-body")).ToHaveValueAsync(new System.Text.RegularExpressions.Regex("- Riverside Peer Support — peer support groups — riverside\\.example\\.org"));
        await BrowserFixture.ScreenshotAsync(page, "reply-composer-1280");
        await BrowserFixture.AssertNoAxeViolationsAsync(page);
        await TabToAsync(page, "#reply-subject");
        await page.Keyboard.PressAsync("End");
        await page.Keyboard.TypeAsync(" from Leslie");
        await TabToAsync(page, ".reply-form button[type=submit]");
        await page.Keyboard.PressAsync("Enter");

        await Assertions.Expect(page.Locator(".flash")).ToContainTextAsync("Your reply is queued to be sent");
        var entry = page.Locator("#timeline li.reply");
        await Assertions.Expect(entry.Locator(".reply-subject")).ToHaveTextAsync("About your inquiry from Leslie");
        await Assertions.Expect(entry.Locator(".reply-text")).ToContainTextAsync("Riverside Peer Support");
        // This app's mail server refuses every connection: the reply shows failed, with its resend button.
        await page.ReloadAsync();
        await Assertions.Expect(page.Locator("#timeline li.reply .delivery")).ToHaveTextAsync("failed", new() { Timeout = 15000 });
        await Assertions.Expect(page.Locator("#timeline li.reply").GetByRole(AriaRole.Button, new() { Name = "Resend this reply" })).ToBeVisibleAsync();
        await BrowserFixture.ScreenshotAsync(page, "reply-timeline-1280");
        await BrowserFixture.AssertNoAxeViolationsAsync(page);

        var stored = await browser.App.WithDbAsync(db => db.Inquiries.AsNoTracking().SingleAsync(i => i.Id == id));
        Assert.Equal(InquiryStatus.Contacted, stored.Status);
        await page.Context.CloseAsync();
    }

    [Theory]
    [InlineData(375)]
    [InlineData(1280)]
    public async Task The_composer_templates_and_referrals_pages_fit_the_screen_and_pass_axe(int width)
    {
        var id = (await browser.App.SubmitAsync(ValidInquiry.With(i => i.FullName = "Wren Width"))).Id;
        var page = await browser.NewPageAsync(width);
        await SignInAsync(page);
        var letsTalk = await browser.App.WithDbAsync(db => db.ReplyTemplates.Where(t => t.Name == "Let's talk").Select(t => t.Id).SingleAsync());

        foreach (var (path, name) in new[]
        {
            ($"/admin/inquiries/{id}/reply?template={letsTalk}", "reply-composer"),
            ("/admin/templates", "templates"),
            ($"/admin/templates/{letsTalk}/edit", "template-edit"),
            ("/admin/referrals", "referrals"),
            ("/admin/referrals/new", "referral-new"),
        })
        {
            await page.GotoAsync(path);
            await BrowserFixture.ScreenshotAsync(page, $"{name}-{width}");
            await AssertFitsTheScreenAsync(page, width);
            await BrowserFixture.AssertNoAxeViolationsAsync(page);
        }

        await page.GotoAsync("/admin/templates/new");
        await page.GetByRole(AriaRole.Button, new() { Name = "Add template" }).ClickAsync();
        await Assertions.Expect(page.Locator(".error-summary")).ToBeVisibleAsync();
        await BrowserFixture.ScreenshotAsync(page, $"template-errors-{width}");
        await BrowserFixture.AssertNoAxeViolationsAsync(page);
        await page.Context.CloseAsync();
    }
}
