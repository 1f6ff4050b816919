using KapPractice.Web.Features.AdminShell;
using KapPractice.Web.Infrastructure.Audit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;
using KapPractice.Web.Features.SignIn;
using KapPractice.Web.Features.AdminAccounts;

namespace KapPractice.BrowserTests;

/// <summary>
/// Its own app for passkeys: an account with no second factor yet, and an account-wide brake of three
/// failed passwords so the test can show a passkey passing it.
/// </summary>
public sealed class PasskeyBrowserFixture : BrowserFixture
{
    public const string Email = "passkey.owner@example.org";
    public const string Password = "a long passphrase for passkeys";
    public const int Brake = 3;

    public override async Task InitializeAsync()
    {
        App.WithSetting("Admin:AccountBrakeAttempts", Brake.ToString(System.Globalization.CultureInfo.InvariantCulture));
        await base.InitializeAsync();
        using var output = new StringWriter();
        var exitCode = await AdminCommands.CreateAdminAsync(App.Services, Email, new StringReader(Password), output);
        Assert.True(exitCode == 0, output.ToString());
    }

    /// <summary>WebAuthn refuses an IP address as the relying party, so this page talks to the app as localhost.</summary>
    public Task<IPage> NewLocalhostPageAsync() => NewPageAsync(new BrowserNewContextOptions
    {
        BaseURL = new UriBuilder(BaseAddress) { Host = "localhost" }.Uri.ToString(),
        ViewportSize = new ViewportSize { Width = 1280, Height = 900 },
        DeviceScaleFactor = 1,
    });
}

public sealed class PasskeyTests(PasskeyBrowserFixture browser) : IClassFixture<PasskeyBrowserFixture>, IAsyncLifetime
{
    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync() => browser.ClosePagesAsync();

    [Fact]
    public async Task She_adds_a_passkey_signs_out_and_signs_in_with_it_even_while_the_brake_is_on()
    {
        var page = await browser.NewLocalhostPageAsync();
        // Chromium's virtual authenticator: a platform authenticator holding discoverable credentials, user verified.
        var cdp = await page.Context.NewCDPSessionAsync(page);
        await cdp.SendAsync("WebAuthn.enable");
        await cdp.SendAsync("WebAuthn.addVirtualAuthenticator", new Dictionary<string, object>
        {
            ["options"] = new Dictionary<string, object>
            {
                ["protocol"] = "ctap2",
                ["transport"] = "internal",
                ["hasResidentKey"] = true,
                ["hasUserVerification"] = true,
                ["isUserVerified"] = true,
                ["automaticPresenceSimulation"] = true,
            },
        });

        // The first sign-in, password only, leads to enrolment; she chooses a passkey on the Security page.
        await page.GotoAsync("/admin/sign-in");
        await page.GetByLabel("Email").FillAsync(PasskeyBrowserFixture.Email);
        await page.GetByLabel("Password").FillAsync(PasskeyBrowserFixture.Password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in", Exact = true }).ClickAsync();
        await Assertions.Expect(page.Locator("h1")).ToHaveTextAsync("Set up an authenticator app");
        await BrowserFixture.AssertNoAxeViolationsAsync(page);
        await page.GetByRole(AriaRole.Link, new() { Name = "add a passkey on the Security page" }).ClickAsync();
        await Assertions.Expect(page.Locator("#enrol-title")).ToHaveTextAsync("Set up a second factor to continue");
        await BrowserFixture.AssertNoAxeViolationsAsync(page);

        await page.GetByLabel("Name for a new passkey").FillAsync("Test laptop");
        await page.GetByRole(AriaRole.Button, new() { Name = "Add a passkey" }).ClickAsync();
        await Assertions.Expect(page.Locator(".flash")).ToHaveTextAsync("Passkey “Test laptop” added. You can now sign in with it.");
        await Assertions.Expect(page.Locator(".passkey-name")).ToContainTextAsync("Test laptop");
        await Assertions.Expect(page.Locator("#enrol-title")).ToHaveCountAsync(0);
        await BrowserFixture.ScreenshotAsync(page, "admin-security-passkey-1280");
        await BrowserFixture.AssertNoAxeViolationsAsync(page);

        await page.GetByRole(AriaRole.Button, new() { Name = "Sign out", Exact = true }).First.ClickAsync();
        await Assertions.Expect(page.Locator(".flash")).ToHaveTextAsync("You are signed out.");

        // Guesses engage the account-wide brake: from the next attempt on, a password alone is no longer enough...
        for (var guess = 1; guess <= PasskeyBrowserFixture.Brake + 1; guess++)
        {
            await page.GetByLabel("Email").FillAsync(PasskeyBrowserFixture.Email);
            await page.GetByLabel("Password").FillAsync("a wrong guess " + guess);
            await page.GetByRole(AriaRole.Button, new() { Name = "Sign in", Exact = true }).ClickAsync();
            await Assertions.Expect(page.Locator(".error-summary")).ToBeVisibleAsync();
        }

        await Assertions.Expect(page.Locator(".error-summary")).ToContainTextAsync(SignInMessages.Failed);
        await BrowserFixture.ScreenshotAsync(page, "admin-sign-in-brake-1280");
        await BrowserFixture.AssertNoAxeViolationsAsync(page);

        // ...but the passkey is both factors and passes it.
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in with a passkey" }).ClickAsync();
        await Assertions.Expect(page.Locator("h1")).ToHaveTextAsync("Inquiries");

        // Ten minutes on (the proof's time moved back on her session's row), adding a passkey first asks her to confirm
        // it is her; the script follows the server there. The brake is still on, so not her password: the passkey.
        var userId = await browser.App.WithDbAsync(db => db.Users.Where(u => u.Email == PasskeyBrowserFixture.Email).Select(u => u.Id).SingleAsync());
        var longAgo = DateTime.UtcNow.AddMinutes(-10);
        await browser.App.WithDbAsync(db => db.AdminSessions.Where(s => s.UserId == userId).ExecuteUpdateAsync(s => s.SetProperty(x => x.LastProofUtc, longAgo)));
        await page.GotoAsync("/admin/security");
        await page.GetByLabel("Name for a new passkey").FillAsync("Second key");
        await page.GetByRole(AriaRole.Button, new() { Name = "Add a passkey" }).ClickAsync();
        await Assertions.Expect(page.Locator("h1")).ToHaveTextAsync("Confirm it's you");
        await BrowserFixture.ScreenshotAsync(page, "admin-confirm-passkey-1280");
        await BrowserFixture.AssertNoAxeViolationsAsync(page);
        await page.GetByRole(AriaRole.Button, new() { Name = "Confirm with a passkey" }).ClickAsync();
        await Assertions.Expect(page.Locator("h1")).ToHaveTextAsync("Security");
        await page.GetByLabel("New name for “Test laptop”").FillAsync("Work laptop");
        await page.GetByRole(AriaRole.Button, new() { Name = "Rename" }).ClickAsync();
        await Assertions.Expect(page.Locator(".flash")).ToHaveTextAsync("Passkey renamed to “Work laptop”.");

        var audit = await browser.App.WithDbAsync(db => db.AuditEntries.Where(e => e.Actor == PasskeyBrowserFixture.Email).Select(e => new { e.Action, e.Detail }).ToListAsync());
        Assert.Contains(audit, e => e.Action == AuditActions.PasskeyAdded && e.Detail == "passkey “Test laptop”");
        Assert.Contains(audit, e => e.Action == AuditActions.SignedIn && e.Detail == SignInMethods.Passkey);
        Assert.Contains(audit, e => e.Action == AuditActions.Reauthenticated && e.Detail == "passkey");
        await page.Context.CloseAsync();
    }
}
