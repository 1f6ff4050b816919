using KapPractice.Web.Features.AdminShell;
using KapPractice.Web.Infrastructure.Audit;
using System.Net;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using KapPractice.Web.Features.SignIn;

namespace KapPractice.IntegrationTests.SignIn;

/// <summary>Failed sign-ins lock one address out of one account; a slower brake covers many addresses together.</summary>
public sealed class LockoutTests
{
    private const int Brake = 8;

    private static (AdminFactory App, FakeTimeProvider Time) App()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var app = new AdminFactory();
        app.WithClientAddresses();
        app.WithSetting("Admin:AccountBrakeAttempts", Brake.ToString(System.Globalization.CultureInfo.InvariantCulture));
        app.WithServices(services => services.AddSingleton<TimeProvider>(time));
        return (app, time);
    }

    private static async Task<string> ErrorSummaryAsync(HttpResponseMessage response) =>
        (await Html.ParseAsync(response)).QuerySelector(".error-summary")!.TextContent.Trim();

    [Fact]
    public async Task Five_wrong_passwords_from_one_address_leave_a_sign_in_from_another_address_working()
    {
        var (app, time) = App();
        await using var _ = app;
        var account = await app.NewAdminAsync(app.CreateHttpsClient().From("198.51.100.1"));
        var attacker = app.CreateHttpsClient().From("203.0.113.66");
        for (var attempt = 1; attempt <= 5; attempt++)
        {
            using var wrong = await attacker.PostSignInAsync(account.Email, "guess number " + attempt);
            Assert.Equal(HttpStatusCode.BadRequest, wrong.StatusCode);
        }

        using var attackerWithRightPassword = await attacker.PostSignInAsync(account.Email, AdminClients.Password);
        time.Advance(TimeSpan.FromSeconds(30));
        using var fromHome = await app.CreateHttpsClient().From("198.51.100.7").SignInWithCodeAsync(account.Email, await account.Phone.NextCodeAsync());

        Assert.Equal(HttpStatusCode.BadRequest, attackerWithRightPassword.StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, fromHome.StatusCode);
        Assert.Equal("/admin", fromHome.Headers.Location!.OriginalString);
        // Identity's own per-account lockout never engaged.
        var user = await app.WithDbAsync(db => db.Users.SingleAsync(u => u.Email == account.Email));
        Assert.Null(user.LockoutEnd);
        Assert.Equal(0, user.AccessFailedCount);

        // The lock on the guessing address lasts Admin:LockoutDuration (15 minutes), then it may try again.
        time.Advance(TimeSpan.FromMinutes(16));
        using var later = await attacker.PostSignInAsync(account.Email, AdminClients.Password);
        Assert.Equal(SignInSetup.CodePath, later.Headers.Location!.OriginalString);
    }

    [Fact]
    public async Task An_IPv6_client_cannot_escape_the_lock_by_moving_inside_its_network()
    {
        var (app, _) = App();
        await using var _ = app;
        var account = await app.NewAdminAsync(app.CreateHttpsClient().From("198.51.100.1"));
        for (var host = 1; host <= 5; host++)
        {
            using var wrong = await app.CreateHttpsClient().From($"2001:db8:1:2::{host:x}").PostSignInAsync(account.Email, "guess " + host);
        }

        using var sameNetwork = await app.CreateHttpsClient().From("2001:db8:1:2:ffff::1").PostSignInAsync(account.Email, AdminClients.Password);
        using var otherNetwork = await app.CreateHttpsClient().From("2001:db8:1:3::1").PostSignInAsync(account.Email, AdminClients.Password);

        Assert.Equal(HttpStatusCode.BadRequest, sameNetwork.StatusCode);
        Assert.Equal(SignInSetup.CodePath, otherNetwork.Headers.Location!.OriginalString);
    }

    [Fact]
    public async Task Sign_in_posts_from_one_IPv6_network_share_one_rate_limit_as_they_share_one_lock()
    {
        var (app, _) = App();
        app.WithSetting("Admin:SignInPermitLimit", "3");
        await using var _ = app;
        var email = $"nobody-{Guid.NewGuid():N}@example.org";
        for (var host = 1; host <= 3; host++)
        {
            using var allowed = await app.CreateHttpsClient().From($"2001:db8:1:2::{host:x}").PostSignInAsync(email, "guess " + host);
            Assert.Equal(HttpStatusCode.BadRequest, allowed.StatusCode);
        }

        using var sameNetwork = await app.CreateHttpsClient().From("2001:db8:1:2:ffff::1").PostSignInAsync(email, "another guess");
        using var otherNetwork = await app.CreateHttpsClient().From("2001:db8:1:3::1").PostSignInAsync(email, "another guess");

        Assert.Equal(HttpStatusCode.TooManyRequests, sameNetwork.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, otherNetwork.StatusCode);
    }

    [Fact]
    public async Task Many_addresses_guessing_cannot_get_through_faster_than_the_brake_allows()
    {
        var (app, time) = App();
        await using var _ = app;
        var account = await app.NewAdminAsync(app.CreateHttpsClient().From("198.51.100.1"));

        // Brake-many wrong guesses, each from its own address: no address reaches its own lock.
        for (var guess = 1; guess <= Brake; guess++)
        {
            using var wrong = await app.CreateHttpsClient().From($"203.0.113.{guess}").PostSignInAsync(account.Email, "guess " + guess);
            Assert.Equal(HttpStatusCode.BadRequest, wrong.StatusCode);
        }

        // Now the right password alone, from yet another address, gets exactly the answer a wrong one gets.
        using var rightAlone = await app.CreateHttpsClient().From("203.0.113.100").PostSignInAsync(account.Email, AdminClients.Password);
        using var wrongAlone = await app.CreateHttpsClient().From("203.0.113.101").PostSignInAsync(account.Email, "another guess");
        Assert.Equal(HttpStatusCode.BadRequest, rightAlone.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, wrongAlone.StatusCode);
        Assert.Equal(await ErrorSummaryAsync(wrongAlone), await ErrorSummaryAsync(rightAlone));
        Assert.Contains(SignInMessages.Failed, await ErrorSummaryAsync(rightAlone), StringComparison.Ordinal);
        Assert.Null(rightAlone.Headers.Location);

        // She passes the brake with the password and a code together, on the same form.
        var home = app.CreateHttpsClient().From("198.51.100.7");
        using var refused = await home.PostSignInAsync(account.Email, AdminClients.Password);
        var form = await Html.ParseAsync(refused);
        Assert.NotNull(form.QuerySelector("input#code"));
        time.Advance(TimeSpan.FromSeconds(30));
        using var withCode = await home.SubmitFormAsync(AdminSetup.SignInPath,
            [new("Email", account.Email), new("Password", AdminClients.Password), new("Code", await account.Phone.NextCodeAsync())],
            $"form[action='{AdminSetup.SignInPath}']");
        Assert.Equal(HttpStatusCode.Redirect, withCode.StatusCode);
        Assert.Equal("/admin", withCode.Headers.Location!.OriginalString);

        // A guesser with a code (but the wrong password) learns nothing either.
        using var wrongWithCode = await app.CreateHttpsClient().From("203.0.113.102").SubmitFormAsync(AdminSetup.SignInPath,
            [new("Email", account.Email), new("Password", "guess with code"), new("Code", "123456")], $"form[action='{AdminSetup.SignInPath}']");
        Assert.Equal(HttpStatusCode.BadRequest, wrongWithCode.StatusCode);

        // Once Admin:AccountBrakeWindow (an hour) has passed since the guesses, a password alone is judged again.
        time.Advance(TimeSpan.FromMinutes(61));
        using var afterTheWindow = await app.CreateHttpsClient().From("203.0.113.103").PostSignInAsync(account.Email, AdminClients.Password);
        Assert.Equal(SignInSetup.CodePath, afterTheWindow.Headers.Location!.OriginalString);
        var failures = await app.WithDbAsync(db => db.AuditEntries.CountAsync(e => e.Actor == account.Email && e.Action == AuditActions.SignInFailed));
        Assert.True(failures >= Brake + 3);
    }

    [Fact]
    public async Task While_the_brake_is_on_the_account_answers_exactly_as_an_address_without_an_account()
    {
        var (app, _) = App();
        await using var __ = app;
        var account = await app.NewAdminAsync(app.CreateHttpsClient().From("198.51.100.1"));
        for (var guess = 1; guess <= Brake; guess++)
        {
            using var wrong = await app.CreateHttpsClient().From($"203.0.113.{guess}").PostSignInAsync(account.Email, "guess " + guess);
            Assert.Equal(HttpStatusCode.BadRequest, wrong.StatusCode);
        }

        var nobody = $"nobody-{Guid.NewGuid():N}@example.org";
        using var braked = await app.CreateHttpsClient().From("203.0.113.100").PostSignInAsync(account.Email, AdminClients.Password);
        using var unknown = await app.CreateHttpsClient().From("203.0.113.101").PostSignInAsync(nobody, AdminClients.Password);

        Assert.Equal(unknown.StatusCode, braked.StatusCode);
        var brakedPage = await Html.ParseAsync(braked);
        var unknownPage = await Html.ParseAsync(unknown);
        Assert.Equal(unknownPage.QuerySelector(".error-summary")!.TextContent.Trim(), brakedPage.QuerySelector(".error-summary")!.TextContent.Trim());
        static string Fields(AngleSharp.Dom.IDocument page) =>
            string.Join(" ", page.QuerySelectorAll($"form[action='{AdminSetup.SignInPath}'] input").Select(i => $"{i.GetAttribute("name")}:{i.GetAttribute("type")}"));
        Assert.Equal(Fields(unknownPage), Fields(brakedPage));
        Assert.Contains("Code:text", Fields(brakedPage), StringComparison.Ordinal);
        // Everything a person sees, the typed address aside, is the same.
        Assert.Equal(unknownPage.Body!.TextContent.Replace(nobody, "ADDRESS", StringComparison.Ordinal), brakedPage.Body!.TextContent.Replace(account.Email, "ADDRESS", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Someone_who_knows_the_password_cannot_guess_codes_from_many_addresses_past_the_code_brake()
    {
        var (app, time) = App();
        await using var _ = app;
        var account = await app.NewAdminAsync(app.CreateHttpsClient().From("198.51.100.1"));
        var now = time.GetUtcNow();
        var valid = new[] { -30, 0, 30 }.Select(s => account.Phone.CodeAt(now.AddSeconds(s))).ToHashSet();
        var wrongCodes = Enumerable.Range(100_000, 20).Select(n => n.ToString(System.Globalization.CultureInfo.InvariantCulture)).Where(c => !valid.Contains(c)).ToList();
        for (var guess = 1; guess <= Brake; guess++)
        {
            using var wrong = await app.CreateHttpsClient().From($"203.0.113.{guess}").SignInWithCodeAsync(account.Email, wrongCodes[guess]);
            Assert.Equal(HttpStatusCode.BadRequest, wrong.StatusCode);
        }

        time.Advance(TimeSpan.FromSeconds(30));
        using var home = await app.CreateHttpsClient().From("198.51.100.7").PostSignInAsync(account.Email, AdminClients.Password);

        Assert.Equal(HttpStatusCode.BadRequest, home.StatusCode);
        Assert.Contains(SignInMessages.CodeBrake, await ErrorSummaryAsync(home), StringComparison.Ordinal);
        time.Advance(TimeSpan.FromMinutes(61));
        using var later = await app.CreateHttpsClient().From("198.51.100.7").SignInWithCodeAsync(account.Email, await account.Phone.NextCodeAsync());
        Assert.Equal(HttpStatusCode.Redirect, later.StatusCode);
    }
}
