using KapPractice.Web.Features.AdminShell;
using KapPractice.Web.Infrastructure.Audit;
using System.Net;
using System.Security.Claims;
using System.Text;
using KapPractice.Web.Infrastructure.Data.Encryption;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace KapPractice.IntegrationTests.AccountSecurity;

/// <summary>Sessions end on the server: a copy of the cookie is refused at its next request.</summary>
[Collection(SharedAdminApp.Name)]
public class SessionTests(AdminFactory factory) : IAsyncLifetime
{
    public Task InitializeAsync() => factory.ResetAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    private const string MacChrome = "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36";

    /// <summary>A second sign-in of the account from another client; returns that client and a copy of its cookie.</summary>
    private async Task<(HttpClient Client, string Cookie)> SecondSessionAsync(AdminAccount account, string? userAgent = null)
    {
        var client = factory.CreateHttpsClient();
        if (userAgent is not null)
        {
            client.DefaultRequestHeaders.UserAgent.ParseAdd(userAgent);
        }

        using var signedIn = await client.SignInWithCodeAsync(account.Email, await account.Phone.NextCodeAsync());
        Assert.Equal(HttpStatusCode.Redirect, signedIn.StatusCode);
        var cookie = signedIn.AdminCookie();
        using var works = await factory.GetWithCookieAsync(cookie, "/admin");
        Assert.Equal(HttpStatusCode.OK, works.StatusCode);
        return (client, cookie);
    }

    private static void AssertSignInPage(HttpResponseMessage response)
    {
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.StartsWith("https://localhost/admin/sign-in?ReturnUrl=", response.Headers.Location!.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_cookie_replayed_after_sign_out_gets_the_sign_in_page()
    {
        var account = await factory.NewAdminAsync();
        var (client, cookie) = await SecondSessionAsync(account);

        using var signOut = await client.PostAdminFormAsync("/admin", "/admin/sign-out");
        using var replayed = await factory.GetWithCookieAsync(cookie, "/admin/audit");

        AssertSignInPage(replayed);
        using var otherSession = await account.Client.GetAsync(new Uri("/admin", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, otherSession.StatusCode);
    }

    [Fact]
    public async Task Sign_out_everywhere_ends_every_session_and_a_replayed_cookie_gets_the_sign_in_page()
    {
        var account = await factory.NewAdminAsync();
        var (_, cookie) = await SecondSessionAsync(account);

        using var everywhere = await account.Client.PostAdminFormAsync(AdminSetup.SecurityPath, "/sessions/end-all");

        Assert.Equal(AdminSetup.SignInPath + "?signedOut=1", everywhere.Headers.Location!.OriginalString);
        using var replayed = await factory.GetWithCookieAsync(cookie, "/admin");
        AssertSignInPage(replayed);
        using var own = await account.Client.GetAsync(new Uri("/admin", UriKind.Relative));
        AssertSignInPage(own);
        var entry = await factory.WithDbAsync(db => db.AuditEntries.SingleAsync(e => e.Actor == account.Email && e.Action == AuditActions.SignedOutEverywhere));
        Assert.Equal("2 sessions ended", entry.Detail);
    }

    [Fact]
    public async Task Changing_the_password_ends_every_other_session_and_keeps_this_one()
    {
        var account = await factory.NewAdminAsync();
        var (_, cookie) = await SecondSessionAsync(account);
        const string newPassword = "a new and longer passphrase";

        using var changed = await account.Client.PostAdminFormAsync(AdminSetup.SecurityPath + "/password", "/password",
            ("CurrentPassword", AdminClients.Password), ("NewPassword", newPassword), ("ConfirmPassword", newPassword));

        Assert.Equal(HttpStatusCode.Redirect, changed.StatusCode);
        using var replayed = await factory.GetWithCookieAsync(cookie, "/admin");
        AssertSignInPage(replayed);
        var security = await account.Client.GetDocumentAsync(AdminSetup.SecurityPath);
        Assert.Contains("1 other session was signed out", security.QuerySelector(".flash")!.TextContent, StringComparison.Ordinal);
        using var oldPassword = await factory.CreateHttpsClient().PostSignInAsync(account.Email, AdminClients.Password);
        Assert.Equal(HttpStatusCode.BadRequest, oldPassword.StatusCode);
        using var withNew = await factory.CreateHttpsClient().SignInWithCodeAsync(account.Email, await account.Phone.NextCodeAsync(), newPassword);
        Assert.Equal(HttpStatusCode.Redirect, withNew.StatusCode);
        var entries = await factory.WithDbAsync(db => db.AuditEntries.Where(e => e.Actor == account.Email && e.Action == AuditActions.PasswordChanged).ToListAsync());
        Assert.Equal("1 other session ended", Assert.Single(entries).Detail);
    }

    [Theory]
    [InlineData("wrong current password", "a new and longer passphrase", "a new and longer passphrase", "That is not your current password.")]
    [InlineData(AdminClients.Password, "a new and longer passphrase", "a different passphrase", "The two new passwords differ")]
    [InlineData(AdminClients.Password, "short", "short", "at least 12 characters")]
    public async Task A_password_change_that_does_not_check_out_changes_nothing_and_says_why(string current, string next, string again, string message)
    {
        var account = await factory.NewAdminAsync();

        using var refused = await account.Client.PostAdminFormAsync(AdminSetup.SecurityPath + "/password", "/password",
            ("CurrentPassword", current), ("NewPassword", next), ("ConfirmPassword", again));

        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Contains(message, (await Html.ParseAsync(refused)).QuerySelector(".error-summary")!.TextContent, StringComparison.Ordinal);
        using var oldStillWorks = await factory.CreateHttpsClient().SignInWithCodeAsync(account.Email, await account.Phone.NextCodeAsync());
        Assert.Equal(HttpStatusCode.Redirect, oldStillWorks.StatusCode);
        Assert.False(await factory.WithDbAsync(db => db.AuditEntries.AnyAsync(e => e.Actor == account.Email && e.Action == AuditActions.PasswordChanged)));
    }

    [Fact]
    public async Task The_security_page_lists_active_sessions_and_ends_the_one_she_picks()
    {
        var account = await factory.NewAdminAsync();
        var (_, cookie) = await SecondSessionAsync(account, MacChrome);

        var page = await account.Client.GetDocumentAsync(AdminSetup.SecurityPath);
        var rows = page.QuerySelectorAll("table.sessions tbody tr").ToList();
        Assert.Equal(2, rows.Count);
        var mac = rows.Single(r => r.QuerySelector("td")!.TextContent.Contains("Chrome on macOS", StringComparison.Ordinal));
        Assert.Contains("This session", rows.Single(r => r != mac).TextContent, StringComparison.Ordinal);
        Assert.Contains(SignInMethods.PasswordAndCode, mac.TextContent, StringComparison.Ordinal);
        var id = mac.QuerySelector("input[name=id]")!.GetAttribute("value")!;

        using var ended = await account.Client.PostAdminFormAsync(AdminSetup.SecurityPath, "/sessions/end", ("id", id));

        Assert.Equal(HttpStatusCode.Redirect, ended.StatusCode);
        using var replayed = await factory.GetWithCookieAsync(cookie, "/admin");
        AssertSignInPage(replayed);
        var after = await account.Client.GetDocumentAsync(AdminSetup.SecurityPath);
        Assert.Single(after.QuerySelectorAll("table.sessions tbody tr"));
        var entry = await factory.WithDbAsync(db => db.AuditEntries.SingleAsync(e => e.Actor == account.Email && e.Action == AuditActions.SessionEnded));
        Assert.StartsWith("Chrome on macOS, signed in ", entry.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_sessions_table_keeps_a_keyed_hash_of_each_session_id_never_the_id_the_cookie_carries()
    {
        var account = await factory.NewAdminAsync();
        var (_, cookie) = await SecondSessionAsync(account);
        var cookieOptions = factory.Services.GetRequiredService<IOptionsMonitor<CookieAuthenticationOptions>>().Get(IdentityConstants.ApplicationScheme);
        var ticket = cookieOptions.TicketDataFormat.Unprotect(cookie[(AdminSetup.CookieName.Length + 1)..])!;
        var sessionId = ticket.Principal.FindFirst(AdminSessions.SessionClaim)!.Value;
        var userId = ticket.Principal.FindFirst(ClaimTypes.NameIdentifier)!.Value;

        var stored = await factory.WithDbAsync(db => db.AdminSessions.Where(s => s.UserId == userId).Select(s => s.Id).ToListAsync());
        var shown = (await account.Client.GetDocumentAsync(AdminSetup.SecurityPath)).QuerySelectorAll("table.sessions input[name=id]").Select(i => i.GetAttribute("value")!).ToList();

        Assert.Equal(2, stored.Count);
        Assert.All(stored.Concat(shown), value => Assert.DoesNotContain(sessionId, value, StringComparison.Ordinal));
        // The row is the id's HMAC under a key derived from the data key: a copy of the table alone matches no cookie.
        var ring = factory.Services.GetRequiredService<DataKeyRing>();
        var expected = WebEncoders.Base64UrlEncode(ring.SecretHash("admin session id", Encoding.UTF8.GetBytes(sessionId)), 0, 24);
        Assert.Contains(expected, stored);
    }

    [Fact]
    public async Task A_session_of_another_account_cannot_be_ended_from_this_one()
    {
        var mine = await factory.NewAdminAsync();
        var theirs = await factory.NewAdminAsync();
        var (_, theirCookie) = await SecondSessionAsync(theirs);
        var theirIds = (await theirs.Client.GetDocumentAsync(AdminSetup.SecurityPath)).QuerySelectorAll("table.sessions input[name=id]").Select(i => i.GetAttribute("value")!).ToList();

        foreach (var id in theirIds)
        {
            using var attempt = await mine.Client.PostAdminFormAsync(AdminSetup.SecurityPath, "/sessions/end", ("id", id));
        }

        using var stillIn = await factory.GetWithCookieAsync(theirCookie, "/admin");
        Assert.Equal(HttpStatusCode.OK, stillIn.StatusCode);
    }
}

/// <summary>The same on PostgreSQL.</summary>
[Collection(SharedAdminAppOnPostgreSql.Name)]
public sealed class SessionTestsOnPostgreSql(PostgreSqlAdminFactory factory) : SessionTests(factory);
