using Deque.AxeCore.Commons;
using Deque.AxeCore.Playwright;
using Microsoft.Playwright;

namespace KapPractice.BrowserTests;

/// <summary>The app for the form's browser tests: no fill-time minimum (a script fills fast) and no rate limit in reach.</summary>
public sealed class InquiryBrowserFixture : BrowserFixture
{
    public override Task InitializeAsync()
    {
        App.WithSetting("Spam:MinimumFillTime", "00:00:00").WithSetting("RateLimiting:InquiryPermitLimit", "1000")
            .WithSetting("RateLimiting:InquiryFloodLimit", "1000");
        return base.InitializeAsync();
    }
}

public sealed class InquiryFormTests(InquiryBrowserFixture browser) : IClassFixture<InquiryBrowserFixture>, IAsyncLifetime
{
    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync() => browser.ClosePagesAsync();

    [Theory]
    [InlineData(375)]
    [InlineData(1280)]
    public async Task The_form_renders_calmly_with_no_accessibility_violations(int width)
    {
        var page = await browser.NewPageAsync(width);
        await page.GotoAsync("/inquiry");

        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Inquiry and eligibility form");
        await Assertions.Expect(page.Locator("main .form-crisis")).ToContainTextAsync("988");
        await BrowserFixture.ScreenshotAsync(page, $"inquiry-form-{width}");
        await BrowserFixture.AssertNoAxeViolationsAsync(page);
        var tooSmall = await page.EvaluateAsync<int>(
            "() => [...document.querySelectorAll('.inquiry-form input:not([type=hidden]):not([tabindex=\"-1\"]), .inquiry-form button')].filter(e => { const r = e.getBoundingClientRect(); return r.width < 24 || r.height < 24; }).length");
        Assert.Equal(0, tooSmall);
        var overflow = await page.EvaluateAsync<bool>("() => document.documentElement.scrollWidth > window.innerWidth");
        Assert.False(overflow, "the page scrolls sideways");
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task A_person_fills_the_form_with_keyboard_and_clicks_and_sees_the_confirmation()
    {
        var page = await browser.NewPageAsync(375);
        await page.GotoAsync("/inquiry");

        await page.GetByLabel("Full name").FocusAsync();
        await page.Keyboard.TypeAsync("Nguyễn Văn An");
        await page.Keyboard.PressAsync("Tab");
        await page.Keyboard.TypeAsync("he/him");
        await page.Keyboard.PressAsync("Tab");
        await page.Keyboard.TypeAsync("an.nguyen@example.com");
        await FillEverythingElseAsync(page, selfHarm: "No");
        await page.GetByLabel("Anything you would like Leslie to know").FillAsync("I have tried two antidepressants.");

        await page.GetByRole(AriaRole.Button, new() { Name = "Send inquiry" }).ClickAsync();

        await Assertions.Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/inquiry/thank-you$"));
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Thank you, your inquiry was sent");
        await Assertions.Expect(page.Locator(".urgent-help")).ToHaveCountAsync(0);
        await BrowserFixture.ScreenshotAsync(page, "inquiry-thank-you-375");
        await BrowserFixture.AssertNoAxeViolationsAsync(page);
        // Addresses are encrypted, so they are compared once read back, not in SQL.
        Assert.Equal("Nguyễn Văn An", await browser.App.WithDbAsync(db => Task.FromResult(db.Inquiries.AsEnumerable().Single(i => i.Email == "an.nguyen@example.com").FullName)));
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task Answering_yes_to_the_safety_question_shows_crisis_resources_first()
    {
        var page = await browser.NewPageAsync(1280);
        await page.GotoAsync("/inquiry");
        await page.GetByLabel("Full name").FillAsync("Sam Lee");
        await page.GetByLabel("Email address").FillAsync("sam.lee@example.com");
        await FillEverythingElseAsync(page, selfHarm: "Yes");

        await page.GetByRole(AriaRole.Button, new() { Name = "Send inquiry" }).ClickAsync();

        await Assertions.Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/inquiry/thank-you$"));
        var first = page.Locator("main .inquiry > :first-child");
        await Assertions.Expect(first).ToHaveClassAsync("urgent-help");
        await Assertions.Expect(first.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToContainTextAsync("help is available right now");
        await Assertions.Expect(first).ToContainTextAsync("988");
        await Assertions.Expect(first).ToContainTextAsync("HOME to 741741");
        await Assertions.Expect(first).ToContainTextAsync("911");
        await BrowserFixture.ScreenshotAsync(page, "inquiry-thank-you-urgent-1280");
        await BrowserFixture.AssertNoAxeViolationsAsync(page);
        await page.Context.CloseAsync();
    }

    [Theory]
    [InlineData(375)]
    [InlineData(1280)]
    public async Task Sending_an_unfinished_form_shows_the_error_summary_first_with_links_to_each_question(int width)
    {
        var page = await browser.NewPageAsync(width);
        await page.GotoAsync("/inquiry");
        await page.GetByLabel("Full name").FillAsync("Sam Lee");
        await Choose(page, "Are you 18 or older?", "Yes");

        await page.GetByRole(AriaRole.Button, new() { Name = "Send inquiry" }).ClickAsync();

        var summary = page.GetByRole(AriaRole.Alert);
        await Assertions.Expect(summary.GetByRole(AriaRole.Heading)).ToHaveTextAsync("There is a problem");
        await Assertions.Expect(summary).ToBeFocusedAsync();
        await Assertions.Expect(page).ToHaveTitleAsync(new System.Text.RegularExpressions.Regex("^Error: "));
        await Assertions.Expect(page.GetByLabel("Full name")).ToHaveValueAsync("Sam Lee");
        await Assertions.Expect(page.GetByRole(AriaRole.Group, new() { Name = "Are you 18 or older?", Exact = true }).GetByLabel("Yes", new() { Exact = true })).ToBeCheckedAsync();
        await BrowserFixture.ScreenshotAsync(page, $"inquiry-form-errors-{width}");
        await BrowserFixture.AssertNoAxeViolationsAsync(page);

        await summary.GetByRole(AriaRole.Link, new() { Name = "Enter your email address" }).ClickAsync();
        await Assertions.Expect(page.GetByLabel("Email address")).ToBeFocusedAsync();
        await page.Context.CloseAsync();
    }

    private static async Task Choose(IPage page, string question, string answer) =>
        await page.GetByRole(AriaRole.Group, new() { Name = question, Exact = true }).GetByLabel(answer, new() { Exact = true }).CheckAsync();

    private static async Task FillEverythingElseAsync(IPage page, string selfHarm)
    {
        await Choose(page, "How would you like to be contacted?", "Email");
        // A person using the keyboard: focus the first radio, arrow to the next, which selects it.
        await page.GetByRole(AriaRole.Group, new() { Name = "May we leave a voicemail?", Exact = true }).GetByLabel("Yes", new() { Exact = true }).FocusAsync();
        await page.Keyboard.PressAsync("ArrowRight");
        await Assertions.Expect(page.GetByRole(AriaRole.Group, new() { Name = "May we leave a voicemail?", Exact = true }).GetByLabel("No", new() { Exact = true })).ToBeCheckedAsync();
        await Choose(page, "Are you 18 or older?", "Yes");
        await Choose(page, "Will you be physically in New York State during sessions?", "Yes");
        await Choose(page, "How would you like to meet?", "Telehealth (video)");
        await Choose(page, "What would you like help with?", "Depression");
        await page.GetByRole(AriaRole.Group, new() { Name = "What would you like help with?", Exact = true }).GetByLabel("Grief").FocusAsync();
        await page.Keyboard.PressAsync("Space");
        await Choose(page, "Which treatments have you tried?", "Antidepressants");
        await Choose(page, "Right now, are you having thoughts of harming yourself or ending your life?", selfHarm);
        await Choose(page, "Have you been diagnosed with a psychotic disorder, such as schizophrenia or schizoaffective disorder?", "No");
        await Choose(page, "Has a parent, brother, sister or child of yours been diagnosed with a psychotic disorder, such as schizophrenia?", "Not sure");
        await Choose(page, "Have you been diagnosed with bipolar disorder?", "No");
        await Choose(page, "Have you been diagnosed with a dissociative disorder?", "No");
        await Choose(page, "Are you pregnant, trying to conceive or breastfeeding?", "No");
        await Choose(page, "Do you have high blood pressure?", "No");
        await Choose(page, "Have you had an aneurysm, AVM, brain bleed or stroke?", "No");
        await Choose(page, "Have you ever had a seizure, or been diagnosed with epilepsy?", "No");
        await Choose(page, "Do you have any other heart disease?", "No");
        await Choose(page, "Do you have glaucoma or raised pressure in the eye or skull?", "No");
        await Choose(page, "Do you have serious breathing problems or sleep apnea?", "No");
        await Choose(page, "Do you have liver disease, bladder or urinary problems, or an overactive thyroid?", "No");
        await Choose(page, "Which best describes your alcohol or drug use?", "No concern");
        await Choose(page, "When was alcohol or drug use last a problem for you?", "Never");
        await Choose(page, "Have you taken ketamine before?", "Never");
        await Choose(page, "Do you take any of these medications now?", "None of these");
        await Choose(page, "Do you have a prescriber or primary-care doctor?", "Yes, a psychiatric prescriber");
        await Choose(page, "Are you willing to have a medical evaluation with a prescriber?", "Yes");
        foreach (var consent in new[] { "I understand this form is not for emergencies", "I have read the privacy notice", "does not start a therapy relationship", "off-label", "may contact me" })
        {
            await page.GetByLabel(consent).CheckAsync();
        }
    }
}
