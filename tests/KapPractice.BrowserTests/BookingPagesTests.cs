using KapPractice.Web.Features.Booking;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using KapPractice.Web.Features.SignIn;
using KapPractice.Web.Features.AdminAccounts;

namespace KapPractice.BrowserTests;

/// <summary>
/// Its own app for booking (no other test books on it): inquiries stored at once, an admin with an authenticator, links made
/// for a fixed site address (the tests open their paths), and a clock started on a Saturday noon (<see cref="ShiftedClock"/>).
/// </summary>
public sealed class BookingBrowserFixture : BrowserFixture
{
    public const string Email = "leslie-booking@example.org";
    public const string Password = "a long passphrase for booking tests";

    public BookingBrowserFixture() =>
        App.WithSetting("Spam:MinimumFillTime", "00:00:00")
            .WithSetting("Practice:SiteUrl", "https://booking.example.org")
            .WithSetting("Email:Smtp:Host", "127.0.0.1")
            .WithSetting("Email:Smtp:Port", "1")
            .WithSetting("Email:MaxAttempts", "1")
            .WithServices(services => services.AddSingleton<TimeProvider>(Clock));

    public ShiftedClock Clock { get; } = ShiftedClock.FromSaturdayNoon();

    public TestAuthenticator Phone { get; private set; } = null!;

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        using var output = new StringWriter();
        Assert.True(await AdminCommands.CreateAdminAsync(App.Services, Email, new StringReader(Password), output) == 0, output.ToString());
        Phone = await AdminBrowserFixture.EnrolAsync(App, Email);
    }

    /// <summary>The path of a fresh booking link for an inquiry sent through the form.</summary>
    public async Task<string> NewLinkPathAsync()
    {
        var inquiry = await App.SubmitAsync(ValidInquiry.Form());
        await using var scope = App.Services.CreateAsyncScope();
        return (await scope.ServiceProvider.GetRequiredService<IBookingLinks>().CreateAsync(inquiry.Id, CancellationToken.None)).AbsolutePath;
    }
}

public sealed class BookingPagesTests(BookingBrowserFixture browser) : IClassFixture<BookingBrowserFixture>, IAsyncLifetime
{
    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync() => browser.ClosePagesAsync();

    private static async Task AssertFitsTheScreenAsync(IPage page, int width)
    {
        var scrollWidth = await page.EvaluateAsync<int>("document.documentElement.scrollWidth");
        Assert.True(scrollWidth <= width, $"{page.Url} is {scrollWidth}px wide at {width}px");
    }

    [Fact]
    public async Task A_client_books_a_time_by_keyboard_on_a_phone_and_sees_the_confirmation()
    {
        var path = await browser.NewLinkPathAsync();
        var page = await browser.NewPageAsync(375, 800);
        await page.GotoAsync(path);
        await Assertions.Expect(page.Locator("h1")).ToHaveTextAsync("Choose a time for your free consultation");
        await BrowserFixture.ScreenshotAsync(page, "booking-375");
        await AssertFitsTheScreenAsync(page, 375);
        await BrowserFixture.AssertNoAxeViolationsAsync(page);
        var firstTime = await page.Locator("button[name=start]").First.GetAttributeAsync("aria-label");

        // Tab from the top of the page to the first time's button, as a keyboard user would, and press Enter.
        for (var i = 0; i < 40 && await page.EvaluateAsync<string?>("document.activeElement && document.activeElement.name") != "start"; i++)
        {
            await page.Keyboard.PressAsync("Tab");
        }

        Assert.Equal(firstTime, await page.EvaluateAsync<string>("document.activeElement.getAttribute('aria-label')"));
        await page.Keyboard.PressAsync("Enter");

        await Assertions.Expect(page.Locator("h1")).ToHaveTextAsync("Your consultation is booked");
        await Assertions.Expect(page.Locator(".booking-when")).ToContainTextAsync(firstTime!["Book ".Length..]);
        await Assertions.Expect(page.Locator("footer")).ToContainTextAsync("988");
        await BrowserFixture.ScreenshotAsync(page, "booking-confirmed-375");
        await AssertFitsTheScreenAsync(page, 375);
        await BrowserFixture.AssertNoAxeViolationsAsync(page);

        await page.GetByRole(AriaRole.Link, new() { Name = "Change the time" }).ClickAsync();
        await Assertions.Expect(page.Locator("h1")).ToHaveTextAsync("Choose a new time");
        await BrowserFixture.AssertNoAxeViolationsAsync(page);

        await page.GotoAsync(path[..^4] + "xxxx");
        await Assertions.Expect(page.Locator("h1")).ToHaveTextAsync("This booking link does not work");
        await BrowserFixture.AssertNoAxeViolationsAsync(page);
    }

    [Fact]
    public async Task The_hours_page_fits_a_phone_and_passes_axe()
    {
        var page = await browser.NewPageAsync(375, 900);
        await page.GotoAsync("/admin/booking/hours");
        await page.GetByLabel("Email").FillAsync(BookingBrowserFixture.Email);
        await page.GetByLabel("Password").FillAsync(BookingBrowserFixture.Password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in", Exact = true }).ClickAsync();
        await page.GetByLabel("Authenticator code or recovery code").FillAsync(await browser.Phone.NextCodeAsync());
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in", Exact = true }).ClickAsync();
        await page.GotoAsync("/admin/booking/hours");
        await Assertions.Expect(page.Locator("h1")).ToHaveTextAsync("Consultation hours");
        await Assertions.Expect(page.GetByLabel("Monday")).ToHaveValueAsync("10:00-16:00");
        await BrowserFixture.ScreenshotAsync(page, "booking-hours-375");
        await AssertFitsTheScreenAsync(page, 375);
        await BrowserFixture.AssertNoAxeViolationsAsync(page);

        await page.GetByLabel("Saturday").FillAsync("25:00-26:00");
        await page.GetByRole(AriaRole.Button, new() { Name = "Save hours" }).ClickAsync();
        await Assertions.Expect(page.Locator(".error-summary")).ToContainTextAsync("Saturday");
        await BrowserFixture.AssertNoAxeViolationsAsync(page);

        await page.GotoAsync("/admin/booking");
        await Assertions.Expect(page.Locator("h1")).ToHaveTextAsync("Upcoming consultations");
        await BrowserFixture.ScreenshotAsync(page, "booking-upcoming-375");
        await BrowserFixture.AssertNoAxeViolationsAsync(page);
    }
}
