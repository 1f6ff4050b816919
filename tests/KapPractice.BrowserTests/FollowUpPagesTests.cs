using KapPractice.Web.Domain;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Microsoft.Playwright;
using KapPractice.Web.Features.AdminAccounts;

namespace KapPractice.BrowserTests;

/// <summary>
/// An app whose clock starts eight days ago (at least five business days), so an inquiry stored at start-up is overdue by the time the
/// practitioner signs in (the clock is then set to now, so cookies and codes are of today). Password-only sign-in.
/// </summary>
public sealed class FollowUpBrowserFixture : BrowserFixture
{
    public const string Email = "leslie@example.org";
    public const string Password = "a long passphrase for tests";

    public FakeTimeProvider Time { get; } = new(DateTimeOffset.UtcNow.AddDays(-8));

    public FollowUpBrowserFixture()
    {
        App.WithSetting("Spam:MinimumFillTime", "00:00:00")
            .WithSetting("Admin:RequireTwoFactor", "false")
            .WithServices(services => services.AddSingleton<TimeProvider>(Time));
    }

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        using var output = new StringWriter();
        var exitCode = await AdminCommands.CreateAdminAsync(App.Services, Email, new StringReader(Password), output);
        Assert.True(exitCode == 0, output.ToString());
        await App.SubmitAsync(ValidInquiry.With(i => i.FullName = "Rowan Overdue"));
        await App.SubmitAsync(ValidInquiry.With(i => { i.FullName = "Sasha Urgent"; i.SelfHarmThoughts = YesNo.Yes; }));
        Time.SetUtcNow(DateTimeOffset.UtcNow);
        await App.SubmitAsync(ValidInquiry.With(i => i.FullName = "Robin Today"));
    }
}

public sealed class FollowUpPagesTests(FollowUpBrowserFixture browser) : IClassFixture<FollowUpBrowserFixture>, IAsyncLifetime
{
    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync() => browser.ClosePagesAsync();

    [Fact]
    public async Task On_a_phone_the_list_marks_the_overdue_inquiries_in_words_and_the_overdue_filter_keeps_them()
    {
        var page = await browser.NewPageAsync(375);
        await page.GotoAsync("/admin");
        await page.GetByLabel("Email").FillAsync(FollowUpBrowserFixture.Email);
        await page.GetByLabel("Password").FillAsync(FollowUpBrowserFixture.Password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in", Exact = true }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Inquiries");

        var overdue = page.Locator("table.inquiries tbody tr", new() { Has = page.Locator(".tag-overdue") });
        await Assertions.Expect(overdue).ToHaveCountAsync(2);
        await Assertions.Expect(overdue.Locator(".tag-overdue").First).ToHaveTextAsync("Overdue");
        await Assertions.Expect(page.Locator("tr", new() { HasText = "Robin Today" }).Locator(".tag-overdue")).ToHaveCountAsync(0);
        await BrowserFixture.ScreenshotAsync(page, "admin-list-overdue-375");
        await BrowserFixture.AssertNoAxeViolationsAsync(page);

        await page.GetByLabel("Overdue only").CheckAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Filter" }).ClickAsync();
        await Assertions.Expect(page.Locator("table.inquiries tbody tr")).ToHaveCountAsync(2);

        await page.GetByRole(AriaRole.Link, new() { Name = "Rowan Overdue" }).ClickAsync();
        await Assertions.Expect(page.Locator(".reply-due .tag-overdue")).ToHaveTextAsync("Overdue");
        await BrowserFixture.ScreenshotAsync(page, "admin-detail-overdue-375");
        await BrowserFixture.AssertNoAxeViolationsAsync(page);
    }
}
