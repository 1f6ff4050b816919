using KapPractice.Web.Features.AdminShell;
using KapPractice.Web.Infrastructure.Audit;
using System.Net;
using AngleSharp.Dom;
using AngleSharp.Html.Dom;
using Microsoft.EntityFrameworkCore;

namespace KapPractice.IntegrationTests.AccountSecurity;

/// <summary>A session opened with the password alone, to enrol a second factor, can do nothing else and ends once the account has one.</summary>
[Collection(SharedAdminApp.Name)]
public sealed class EnrolmentSessionTests(AdminFactory factory) : IAsyncLifetime
{
    public Task InitializeAsync() => factory.ResetAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    /// <summary>A client signed in with the password alone, which the sign-in sent to enrolment.</summary>
    private async Task<HttpClient> EnrolmentOnlyClientAsync(string email)
    {
        var client = factory.CreateHttpsClient();
        using var signedIn = await client.PostSignInAsync(email, AdminClients.Password);
        Assert.Equal(HttpStatusCode.Redirect, signedIn.StatusCode);
        Assert.Equal(AdminSetup.EnrolPath, signedIn.Headers.Location!.OriginalString);
        return client;
    }

    /// <summary>The antiforgery token of the session's Security page, as a script holding the session would keep it.</summary>
    private static async Task<string> AntiforgeryTokenAsync(HttpClient client)
    {
        var page = await client.GetDocumentAsync(AdminSetup.SecurityPath);
        return page.QuerySelector<IHtmlInputElement>("input[name='__RequestVerificationToken']")!.Value;
    }

    private static async Task<HttpResponseMessage> PostAsync(HttpClient client, string path, string token, params (string Name, string Value)[] values)
    {
        using var content = new FormUrlEncodedContent([new("__RequestVerificationToken", token), .. values.Select(v => new KeyValuePair<string, string>(v.Name, v.Value))]);
        return await client.PostAsync(new Uri(path, UriKind.Relative), content);
    }

    private static void AssertSentToSignIn(HttpResponseMessage response)
    {
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.StartsWith(AdminSetup.SignInPath, response.Headers.Location!.AbsolutePath, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_password_only_session_cannot_mint_recovery_codes_once_another_session_has_enrolled()
    {
        var email = $"enrol-race-{Guid.NewGuid():N}@example.org";
        await factory.CreateAdminAsync(email);
        using var a = await EnrolmentOnlyClientAsync(email);
        using var b = await EnrolmentOnlyClientAsync(email);
        var token = await AntiforgeryTokenAsync(b);

        var (_, codesOfA) = await a.EnrolAuthenticatorAsync(factory);
        using var minted = await PostAsync(b, AdminSetup.SecurityPath + "/recovery-codes", token);

        AssertSentToSignIn(minted);
        Assert.Empty((await Html.ParseAsync(minted)).QuerySelectorAll(".recovery-codes code"));
        using var securityOfB = await b.GetAsync(new Uri(AdminSetup.SecurityPath, UriKind.Relative));
        AssertSentToSignIn(securityOfB);
        // A's codes still work: B cancelled nothing.
        using var elsewhere = factory.CreateHttpsClient();
        using var withCodeOfA = await elsewhere.SignInWithCodeAsync(email, codesOfA[0]);
        Assert.Equal(HttpStatusCode.Redirect, withCodeOfA.StatusCode);
        Assert.Equal("/admin", withCodeOfA.Headers.Location!.OriginalString);
        Assert.Equal(HttpStatusCode.OK, (await a.GetAsync(new Uri("/admin", UriKind.Relative))).StatusCode);
        var ended = await factory.WithDbAsync(db => db.AuditEntries.Where(e => e.Actor == email && e.Action == AuditActions.SessionEnded).ToListAsync());
        Assert.Single(ended);
        Assert.Contains(SessionEndReasons.EnrolledElsewhere, ended[0].Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Enrolling_ends_the_other_password_only_sessions_but_not_full_ones()
    {
        var account = await factory.NewAdminAsync();
        using var full = factory.CreateHttpsClient();
        using var signedIn = await full.SignInWithCodeAsync(account.Email, await account.Phone.NextCodeAsync());
        Assert.Equal(HttpStatusCode.Redirect, signedIn.StatusCode);
        var email = $"enrol-two-{Guid.NewGuid():N}@example.org";
        await factory.CreateAdminAsync(email);
        using var a = await EnrolmentOnlyClientAsync(email);
        using var b = await EnrolmentOnlyClientAsync(email);

        await a.EnrolAuthenticatorAsync(factory);

        using var enrolPageOfB = await b.GetAsync(new Uri(AdminSetup.EnrolPath, UriKind.Relative));
        AssertSentToSignIn(enrolPageOfB);
        Assert.Equal(HttpStatusCode.OK, (await full.GetAsync(new Uri("/admin", UriKind.Relative))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await a.GetAsync(new Uri("/admin", UriKind.Relative))).StatusCode);
    }

    [Fact]
    public async Task A_password_only_session_that_asks_for_more_than_enrolment_is_ended()
    {
        var email = $"enrol-only-{Guid.NewGuid():N}@example.org";
        await factory.CreateAdminAsync(email);
        using var client = await EnrolmentOnlyClientAsync(email);
        var page = await client.GetDocumentAsync(AdminSetup.SecurityPath);
        Assert.Null(page.QuerySelector($"a[href='{AdminSetup.SecurityPath}/password']"));
        Assert.Null(page.QuerySelector($"form[action^='{AdminSetup.SecurityPath}/sessions']"));
        var token = await AntiforgeryTokenAsync(client);

        using var changed = await PostAsync(client, AdminSetup.SecurityPath + "/password", token,
            ("CurrentPassword", AdminClients.Password), ("NewPassword", "a brand new passphrase"), ("ConfirmPassword", "a brand new passphrase"));

        AssertSentToSignIn(changed);
        using var security = await client.GetAsync(new Uri(AdminSetup.SecurityPath, UriKind.Relative));
        AssertSentToSignIn(security);
        // The password is unchanged: the old one still signs in (to enrolment).
        using var again = await EnrolmentOnlyClientAsync(email);
        Assert.False(await factory.WithDbAsync(db => db.AuditEntries.AnyAsync(e => e.Actor == email && e.Action == AuditActions.PasswordChanged)));
    }
}
