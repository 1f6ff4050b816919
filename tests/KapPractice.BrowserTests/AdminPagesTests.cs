using KapPractice.Web.Domain;
using KapPractice.Web.Infrastructure.Audit;
using KapPractice.Web.Infrastructure.Data;
using KapPractice.Web.Infrastructure.Email;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using KapPractice.Web.Features.SignIn;
using KapPractice.Web.Features.AdminAccounts;

namespace KapPractice.BrowserTests;

/// <summary>
/// The app and database of the admin walk-through and the reply pages (<see cref="AdminApp"/>); the account already has an
/// authenticator app, and the database goes back to that state before each test. Inquiries are stored at once, and the mail
/// server refuses every connection, so each notification fails after its one attempt, as the practitioner would see it.
/// </summary>
public sealed class AdminBrowserFixture : BrowserFixture
{
    public const string Email = "leslie@example.org";
    public const string Password = "a long passphrase for tests";

    public AdminBrowserFixture()
    {
        App.WithSetting("Spam:MinimumFillTime", "00:00:00")
            .WithSetting("Email:Smtp:Host", "127.0.0.1")
            .WithSetting("Email:Smtp:Port", "1")
            .WithSetting("Email:MaxAttempts", "1")
            // Three classes sign in on this one app, several times a minute when the machine is quick; the sign-in page's
            // own limit (Admin:SignInPermitLimit, counted on the real clock) is the integration tests' concern.
            .WithSetting("Admin:SignInPermitLimit", "1000")
            .WithServices(services => services.AddSingleton<TimeProvider>(Clock));
    }

    /// <summary>The app's clock: the real time, moved on by the authenticator when a sign-in needs the next code (<see cref="TestAuthenticator"/>).</summary>
    public ShiftedClock Clock { get; } = ShiftedClock.FromNow();

    /// <summary>The authenticator the account was enrolled with, through the Security page's own service.</summary>
    public TestAuthenticator Phone { get; private set; } = null!;

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        using var output = new StringWriter();
        var exitCode = await AdminCommands.CreateAdminAsync(App.Services, Email, new StringReader(Password), output);
        Assert.True(exitCode == 0, output.ToString());
        Phone = await EnrolAsync(App, Email);
        await App.ResetAsync(); // the state every test starts from
    }

    public static async Task<TestAuthenticator> EnrolAsync(KapPracticeFactory app, string email)
    {
        ArgumentNullException.ThrowIfNull(app);
        await using var scope = app.Services.CreateAsyncScope();
        var user = (await scope.ServiceProvider.GetRequiredService<UserManager<IdentityUser>>().FindByEmailAsync(email))!;
        var authenticator = scope.ServiceProvider.GetRequiredService<Authenticator>();
        // The phone reads the app's own clock (the booking app's is shifted).
        var phone = new TestAuthenticator((await authenticator.PendingSetupAsync(user)).GroupedKey, scope.ServiceProvider.GetRequiredService<TimeProvider>());
        Assert.NotNull(await authenticator.ConfirmPendingAsync(user, await phone.NextCodeAsync()));
        return phone;
    }
}

/// <summary>The admin walk-through and the reply pages share one app (their settings are the same), one test at a time.</summary>
[CollectionDefinition(Name)]
public sealed class AdminApp : ICollectionFixture<AdminBrowserFixture>
{
    public const string Name = "Admin app";
}

[Collection(AdminApp.Name)]
public sealed class AdminPagesTests(AdminBrowserFixture browser) : IAsyncLifetime
{
    public Task InitializeAsync() => browser.App.ResetAsync();

    public Task DisposeAsync() => browser.ClosePagesAsync();

    private async Task SignInAsync(IPage page, bool checkAccessibility = false)
    {
        await page.GotoAsync("/admin");
        Assert.EndsWith("/admin/sign-in?ReturnUrl=%2Fadmin", page.Url, StringComparison.Ordinal);
        await page.GetByLabel("Email").FillAsync(AdminBrowserFixture.Email);
        await page.GetByLabel("Password").FillAsync(AdminBrowserFixture.Password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in", Exact = true }).ClickAsync();
        await Assertions.Expect(page.Locator("h1")).ToHaveTextAsync("Enter your code");
        if (checkAccessibility)
        {
            await BrowserFixture.ScreenshotAsync(page, $"admin-code-{page.ViewportSize!.Width}");
            await BrowserFixture.AssertNoAxeViolationsAsync(page);
        }

        await page.GetByLabel("Authenticator code or recovery code").FillAsync(await browser.Phone.NextCodeAsync());
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in", Exact = true }).ClickAsync();
        await Assertions.Expect(page.Locator("h1")).ToHaveTextAsync("Inquiries");
    }

    private static async Task AssertFitsTheScreenAsync(IPage page, int width)
    {
        var scrollWidth = await page.EvaluateAsync<int>("document.documentElement.scrollWidth");
        Assert.True(scrollWidth <= width, $"{page.Url} is {scrollWidth}px wide at {width}px");
    }

    [Fact]
    public async Task The_practitioner_signs_in_opens_the_new_urgent_inquiry_adds_a_note_changes_status_and_exports()
    {
        await browser.App.SubmitAsync(ValidInquiry.With(i => i.FullName = "Earlier Eligible"));
        var urgentId = (await browser.App.SubmitAsync(ValidInquiry.With(i => { i.FullName = "Robin Urgent"; i.SelfHarmThoughts = YesNo.Yes; }))).Id;
        await browser.App.WaitForRowAsync(urgentId, OutboxKind.PractitionerNotification, r => r.State == OutboxState.Failed);
        var page = await browser.NewPageAsync(1280);

        await page.GotoAsync("/admin/sign-in");
        // The stylesheet really applies (static assets are served outside Development too).
        await Assertions.Expect(page.Locator(".admin-header-inner")).ToHaveCSSAsync("display", "flex");
        await BrowserFixture.ScreenshotAsync(page, "admin-sign-in-1280");
        await BrowserFixture.AssertNoAxeViolationsAsync(page);
        await SignInAsync(page, checkAccessibility: true);

        var firstRow = page.Locator("table.inquiries tbody tr").First;
        await Assertions.Expect(firstRow).ToContainTextAsync("Robin Urgent");
        await Assertions.Expect(firstRow).ToContainTextAsync("Urgent");
        await Assertions.Expect(firstRow).ToContainTextAsync("Unread");
        var failedBanner = page.Locator(".banner-error");
        await Assertions.Expect(failedBanner).ToContainTextAsync("email notifications failed");
        await Assertions.Expect(failedBanner.GetByRole(AriaRole.Link, new() { Name = $"Inquiry {urgentId}" })).ToBeVisibleAsync();
        await BrowserFixture.ScreenshotAsync(page, "admin-list-1280");
        await BrowserFixture.AssertNoAxeViolationsAsync(page);

        await firstRow.GetByRole(AriaRole.Link, new() { Name = "Robin Urgent" }).ClickAsync();
        await Assertions.Expect(page.Locator("h1")).ToHaveTextAsync("Inquiry from Robin Urgent");
        await Assertions.Expect(page.Locator("section.screening")).ToContainTextAsync("thoughts of harming themself");
        await BrowserFixture.AssertNoAxeViolationsAsync(page);

        await page.GetByLabel("Add a note").FillAsync("Called 988 together; follow up tomorrow.");
        await page.GetByRole(AriaRole.Button, new() { Name = "Add note" }).ClickAsync();
        await Assertions.Expect(page.Locator(".flash")).ToHaveTextAsync("Note added.");
        await Assertions.Expect(page.Locator(".note-text")).ToHaveTextAsync("Called 988 together; follow up tomorrow.");

        await page.Locator("#status").SelectOptionAsync("Contacted");
        await page.GetByRole(AriaRole.Button, new() { Name = "Save status" }).ClickAsync();
        await Assertions.Expect(page.Locator(".flash")).ToHaveTextAsync("Status set to Contacted.");
        await BrowserFixture.ScreenshotAsync(page, "admin-detail-1280");
        await BrowserFixture.AssertNoAxeViolationsAsync(page);

        await page.GetByRole(AriaRole.Link, new() { Name = "Inquiries", Exact = true }).ClickAsync();
        var download = await page.RunAndWaitForDownloadAsync(() =>
            page.GetByRole(AriaRole.Link, new() { Name = "Download these as CSV" }).ClickAsync());
        Assert.EndsWith(".csv", download.SuggestedFilename, StringComparison.Ordinal);
        var csv = await File.ReadAllTextAsync(await download.PathAsync());
        Assert.Contains("Robin Urgent", csv, StringComparison.Ordinal);
        Assert.Contains("Earlier Eligible", csv, StringComparison.Ordinal);

        await page.GetByRole(AriaRole.Link, new() { Name = "Audit trail" }).ClickAsync();
        await Assertions.Expect(page.Locator("table.audit tbody tr").First).ToContainTextAsync(AuditActions.Exported);
        await BrowserFixture.ScreenshotAsync(page, "admin-audit-1280");
        await BrowserFixture.AssertNoAxeViolationsAsync(page);

        var stored = await browser.App.WithDbAsync(db => db.Inquiries.Include(i => i.Notes).SingleAsync(i => i.Id == urgentId));
        Assert.Equal(InquiryStatus.Contacted, stored.Status);
        Assert.Equal(AdminBrowserFixture.Email, Assert.Single(stored.Notes).Author);
        await page.Context.CloseAsync();
    }

    [Theory]
    [InlineData(375)]
    [InlineData(1280)]
    public async Task The_prescriber_summary_opens_from_the_inquiry_fits_the_screen_passes_axe_and_prints_without_its_controls(int width)
    {
        var id = (await browser.App.SubmitAsync(ValidInquiry.With(i =>
        {
            i.FullName = $"Casey Summary {width}";
            i.SeizuresOrEpilepsy = YesNoNotSure.Yes;
            i.Medications = [Medication.Gabapentinoids, Medication.Other];
            i.MedicationOther = "Sertraline 50 mg";
            i.SubstanceUse = SubstanceUse.InRecovery;
            i.SubstanceUseLastProblem = SubstanceUseLastProblem.MoreThanAYearAgo;
        }))).Id;
        var page = await browser.NewPageAsync(width);
        await SignInAsync(page);

        await page.GotoAsync($"/admin/inquiries/{id}");
        await page.GetByRole(AriaRole.Link, new() { Name = "Summary to print for the prescriber" }).ClickAsync();

        Assert.EndsWith($"/admin/inquiries/{id}/print", page.Url, StringComparison.Ordinal);
        await Assertions.Expect(page.Locator("h1")).ToHaveTextAsync($"Inquiry #{id}: summary for the prescriber");
        await Assertions.Expect(page.Locator("nav")).ToHaveCountAsync(0);
        await Assertions.Expect(page.Locator(".screening")).ToContainTextAsync("Takes gabapentin or pregabalin.");
        // The script shows the Print button; the stylesheet lays the answers out.
        await Assertions.Expect(page.GetByRole(AriaRole.Button, new() { Name = "Print" })).ToBeVisibleAsync();
        await BrowserFixture.ScreenshotAsync(page, $"admin-print-{width}");
        await AssertFitsTheScreenAsync(page, width);
        await BrowserFixture.AssertNoAxeViolationsAsync(page);

        await page.EmulateMediaAsync(new() { Media = Media.Print });
        await Assertions.Expect(page.Locator(".print-controls")).ToBeHiddenAsync();
        await Assertions.Expect(page.Locator(".screening")).ToBeVisibleAsync();
        // The printed pages themselves, to look at.
        await BrowserFixture.PrintToPdfAsync(page, $"admin-print-{width}");
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task The_admin_pages_fit_a_phone_and_pass_axe()
    {
        var id = (await browser.App.SubmitAsync(ValidInquiry.With(i =>
        {
            i.FullName = "Sam Phone-Reader";
            i.Email = "a.rather.long.address.for.a.small.screen@example.org";
            i.InNewYork = YesNoNotSure.No;
            i.WillingMedicalEvaluation = YesNoNotSure.No;
        }))).Id;
        var page = await browser.NewPageAsync(375);

        await page.GotoAsync("/admin/sign-in");
        await BrowserFixture.ScreenshotAsync(page, "admin-sign-in-375");
        await AssertFitsTheScreenAsync(page, 375);
        await SignInAsync(page);
        await BrowserFixture.ScreenshotAsync(page, "admin-list-375");
        await AssertFitsTheScreenAsync(page, 375);
        await BrowserFixture.AssertNoAxeViolationsAsync(page);

        await page.GotoAsync($"/admin/inquiries/{id}");
        await BrowserFixture.ScreenshotAsync(page, "admin-detail-375");
        await AssertFitsTheScreenAsync(page, 375);
        await BrowserFixture.AssertNoAxeViolationsAsync(page);

        await page.GotoAsync($"/admin/inquiries/{id}/delete");
        await BrowserFixture.ScreenshotAsync(page, "admin-delete-375");
        await BrowserFixture.AssertNoAxeViolationsAsync(page);

        await page.GotoAsync("/admin/audit");
        await BrowserFixture.ScreenshotAsync(page, "admin-audit-375");
        await AssertFitsTheScreenAsync(page, 375);
        await BrowserFixture.AssertNoAxeViolationsAsync(page);

        foreach (var (path, name) in new[] { ("/admin/security", "security"), ("/admin/security/authenticator", "authenticator"), ("/admin/security/password", "password"), ("/admin/security/confirm", "confirm") })
        {
            await page.GotoAsync(path);
            await BrowserFixture.ScreenshotAsync(page, $"admin-{name}-375");
            await AssertFitsTheScreenAsync(page, 375);
            await BrowserFixture.AssertNoAxeViolationsAsync(page);
        }

        await page.Context.CloseAsync();
    }
}
