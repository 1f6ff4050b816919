using KapPractice.Web.Features.AdminShell;
using KapPractice.Web.Infrastructure.Audit;
using System.Net;
using AngleSharp.Dom;
using AngleSharp.Html.Dom;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using KapPractice.Web.Features.SignIn;

namespace KapPractice.IntegrationTests.SignIn;

/// <summary>The admin app on a clock of its own, which the tests move on past Admin:ReauthenticateWithin.</summary>
public sealed class ReauthenticationFactory : AdminFactory
{
    public ReauthenticationFactory() => WithServices(services => services.AddSingleton<TimeProvider>(Time));

    public FakeTimeProvider Time { get; } = new(DateTimeOffset.UtcNow);
}

/// <summary>
/// Changing what protects the account needs her password or a code from the last few minutes (Admin:ReauthenticateWithin,
/// five by default): later, she is asked again on the confirm page and comes back to where she was.
/// </summary>
public sealed class ReauthenticationTests(ReauthenticationFactory factory) : IClassFixture<ReauthenticationFactory>
{
    private static readonly TimeSpan PastTheWindow = TimeSpan.FromMinutes(6);

    public static TheoryData<string, string, string> ProtectedRequests => new()
    {
        // what, method and path, where she comes back to after confirming
        { "move to a new phone (the page)", "GET " + AdminSetup.EnrolPath, AdminSetup.EnrolPath },
        { "move to a new phone (its code)", "POST " + AdminSetup.EnrolPath, AdminSetup.EnrolPath },
        { "remove the authenticator app", "POST " + AdminSetup.EnrolPath + "/remove", AdminSetup.SecurityPath },
        { "make new recovery codes", "POST " + AdminSetup.SecurityPath + "/recovery-codes", AdminSetup.SecurityPath },
        { "add a passkey", "POST " + AdminSetup.SecurityPath + "/passkeys", AdminSetup.SecurityPath },
        { "rename a passkey", "POST " + AdminSetup.SecurityPath + "/passkeys/rename", AdminSetup.SecurityPath },
        { "remove a passkey", "POST " + AdminSetup.SecurityPath + "/passkeys/remove", AdminSetup.SecurityPath },
        { "sign out everywhere", "POST " + AdminSetup.SecurityPath + "/sessions/end-all", AdminSetup.SecurityPath },
    };

    private static void AssertSentToConfirm(HttpResponseMessage response, string back)
    {
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal(AdminSetup.ConfirmPath + "?ReturnUrl=" + Uri.EscapeDataString(back), response.Headers.Location!.OriginalString);
    }

    private static async Task<string> AntiforgeryTokenAsync(HttpClient client) =>
        (await client.GetDocumentAsync(AdminSetup.SecurityPath)).QuerySelector<IHtmlInputElement>("input[name='__RequestVerificationToken']")!.Value;

    private static async Task<HttpResponseMessage> SendAsync(HttpClient client, string methodAndPath, string token)
    {
        var (method, path) = (methodAndPath.Split(' ')[0], methodAndPath.Split(' ')[1]);
        using var request = new HttpRequestMessage(new HttpMethod(method), new Uri(path, UriKind.Relative));
        if (method == "POST")
        {
            request.Content = new FormUrlEncodedContent([new("__RequestVerificationToken", token), new("id", "AAAA"), new("name", "Laptop"), new("code", "123456")]);
        }

        return await client.SendAsync(request);
    }

    private Task<List<string>> AuditOfAsync(string email) =>
        factory.WithDbAsync(db => db.AuditEntries.Where(e => e.Actor == email).OrderBy(e => e.Id).Select(e => e.Action).ToListAsync());

    [Theory]
    [MemberData(nameof(ProtectedRequests))]
    public async Task Past_the_window_each_change_to_what_protects_the_account_waits_for_the_confirm_page_and_changes_nothing(string what, string request, string back)
    {
        var account = await factory.NewAdminAsync();
        var token = await AntiforgeryTokenAsync(account.Client);
        var before = await AuditOfAsync(account.Email);
        factory.Time.Advance(PastTheWindow);

        using var response = await SendAsync(account.Client, request, token);

        AssertSentToConfirm(response, back);
        Assert.True(before.SequenceEqual(await AuditOfAsync(account.Email)), $"{what} changed something before she confirmed");
        using var stillSignedIn = await account.Client.GetAsync(new Uri("/admin", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, stillSignedIn.StatusCode);
    }

    [Fact]
    public async Task Past_the_window_the_passkey_challenge_tells_the_script_where_to_confirm()
    {
        var account = await factory.NewAdminAsync();
        var token = await AntiforgeryTokenAsync(account.Client);
        factory.Time.Advance(PastTheWindow);

        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(AdminSetup.SecurityPath + "/passkeys/options", UriKind.Relative));
        request.Headers.Add("RequestVerificationToken", token);
        using var response = await account.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal(AdminSetup.ConfirmPath + "?ReturnUrl=" + Uri.EscapeDataString(AdminSetup.SecurityPath), response.Headers.GetValues(RequireRecentProofAttribute.ConfirmHeader).Single());
        Assert.DoesNotContain("challenge", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Past_the_window_new_recovery_codes_wait_for_her_password_then_she_is_back_on_the_security_page_and_they_are_made()
    {
        var account = await factory.NewAdminAsync();
        factory.Time.Advance(PastTheWindow);

        using var asked = await account.Client.PostAdminFormAsync(AdminSetup.SecurityPath, "/recovery-codes");
        AssertSentToConfirm(asked, AdminSetup.SecurityPath);
        Assert.DoesNotContain(AuditActions.RecoveryCodesRenewed, await AuditOfAsync(account.Email));
        var confirmPage = await account.Client.GetDocumentAsync(asked.Headers.Location!.OriginalString);
        Assert.Equal("Confirm it's you", confirmPage.QuerySelector("h1")!.TextContent);
        Assert.NotNull(confirmPage.QuerySelector("input#password[type=password][autocomplete=current-password]"));
        using var confirmed = await account.Client.SubmitFormAsync(asked.Headers.Location!.OriginalString,
            [new("Password", AdminClients.Password)], $"form[action='{AdminSetup.ConfirmPath}']");
        Assert.Equal(HttpStatusCode.Redirect, confirmed.StatusCode);
        Assert.Equal(AdminSetup.SecurityPath, confirmed.Headers.Location!.OriginalString);

        using var renewed = await account.Client.PostAdminFormAsync(AdminSetup.SecurityPath, "/recovery-codes");

        Assert.Equal(HttpStatusCode.OK, renewed.StatusCode);
        Assert.Equal(Authenticator.RecoveryCodeCount, (await Html.ParseAsync(renewed)).QuerySelectorAll(".recovery-codes code").Length);
        var entries = await factory.WithDbAsync(db => db.AuditEntries.Where(e => e.Actor == account.Email).ToListAsync());
        Assert.Contains(entries, e => e.Action == AuditActions.Reauthenticated && e.Detail == "password");
        Assert.Contains(entries, e => e.Action == AuditActions.RecoveryCodesRenewed);
        // The time of the proof is on her session's row in the database, not in anything the browser holds.
        var userId = await factory.WithDbAsync(db => db.Users.Where(u => u.Email == account.Email).Select(u => u.Id).SingleAsync());
        var proof = await factory.WithDbAsync(db => db.AdminSessions.Where(s => s.UserId == userId).Select(s => s.LastProofUtc).SingleAsync());
        Assert.Equal(factory.Time.GetUtcNow().UtcDateTime, proof, TimeSpan.FromMilliseconds(1));
    }

    [Fact]
    public async Task A_code_from_her_authenticator_app_confirms_too_and_she_comes_back_to_the_page_she_opened()
    {
        var account = await factory.NewAdminAsync();
        factory.Time.Advance(PastTheWindow);
        using var asked = await account.Client.GetAsync(new Uri(AdminSetup.EnrolPath, UriKind.Relative));
        AssertSentToConfirm(asked, AdminSetup.EnrolPath);

        using var confirmed = await account.Client.SubmitFormAsync(asked.Headers.Location!.OriginalString,
            [new("Code", await account.Phone.NextCodeAsync())], $"form[action='{ReauthenticateController.CodePath}']");

        Assert.Equal(HttpStatusCode.Redirect, confirmed.StatusCode);
        Assert.Equal(AdminSetup.EnrolPath, confirmed.Headers.Location!.OriginalString);
        Assert.Equal("Move to a new phone", (await account.Client.GetDocumentAsync(AdminSetup.EnrolPath)).QuerySelector("h1")!.TextContent);
        Assert.True(await factory.WithDbAsync(db => db.AuditEntries.AnyAsync(e => e.Actor == account.Email && e.Action == AuditActions.Reauthenticated && e.Detail == "authenticator code")));
    }

    [Fact]
    public async Task A_wrong_password_on_the_confirm_page_counts_as_a_failed_sign_in_and_confirms_nothing()
    {
        var account = await factory.NewAdminAsync();
        factory.Time.Advance(PastTheWindow);

        using var wrong = await account.Client.SubmitFormAsync(AdminSetup.ConfirmPath,
            [new("Password", "not the password")], $"form[action='{AdminSetup.ConfirmPath}']");

        Assert.Equal(HttpStatusCode.BadRequest, wrong.StatusCode);
        Assert.Contains(ReauthenticateController.WrongPasswordMessage, (await Html.ParseAsync(wrong)).QuerySelector(".error-summary")!.TextContent, StringComparison.Ordinal);
        var userId = await factory.WithDbAsync(db => db.Users.Where(u => u.Email == account.Email).Select(u => u.Id).SingleAsync());
        Assert.Equal(1, await factory.WithDbAsync(db => db.SignInFailures.CountAsync(f => f.UserId == userId)));
        Assert.True(await factory.WithDbAsync(db => db.AuditEntries.AnyAsync(e => e.Actor == account.Email && e.Action == AuditActions.SignInFailed && e.Detail == "wrong password on the confirm page")));
        using var stillAsked = await account.Client.PostAdminFormAsync(AdminSetup.SecurityPath, "/recovery-codes");
        AssertSentToConfirm(stillAsked, AdminSetup.SecurityPath);
    }

    [Theory]
    [InlineData("https://elsewhere.example/admin")]
    [InlineData("//elsewhere.example/admin")]
    [InlineData("/booking/secret-link")]
    [InlineData(AdminSetup.ConfirmPath)]
    public async Task The_confirm_page_returns_only_to_a_page_of_the_admin_area(string returnUrl)
    {
        var account = await factory.NewAdminAsync();
        factory.Time.Advance(PastTheWindow);

        using var confirmed = await account.Client.SubmitFormAsync(AdminSetup.ConfirmPath + "?ReturnUrl=" + Uri.EscapeDataString(returnUrl),
            [new("Password", AdminClients.Password), new("ReturnUrl", returnUrl)], $"form[action='{AdminSetup.ConfirmPath}']");

        Assert.Equal(HttpStatusCode.Redirect, confirmed.StatusCode);
        Assert.Equal(AdminSetup.SecurityPath, confirmed.Headers.Location!.OriginalString);
    }

    [Fact]
    public async Task Within_the_window_of_signing_in_nothing_more_is_asked()
    {
        var account = await factory.NewAdminAsync();
        factory.Time.Advance(TimeSpan.FromMinutes(4));

        using var renewed = await account.Client.PostAdminFormAsync(AdminSetup.SecurityPath, "/recovery-codes");

        Assert.Equal(HttpStatusCode.OK, renewed.StatusCode);
        Assert.Equal(TimeSpan.FromMinutes(5), factory.Services.GetRequiredService<IOptions<AdminOptions>>().Value.ReauthenticateWithin);
    }

    [Theory]
    [InlineData("00:00:10")]
    [InlineData("02:00:00")]
    public async Task A_window_out_of_range_stops_start_up_naming_the_setting(string value)
    {
        await using var app = new AdminFactory();
        app.WithSetting("Admin:ReauthenticateWithin", value);

        var error = Assert.Throws<OptionsValidationException>(() => app.Services);

        Assert.Contains(nameof(AdminOptions.ReauthenticateWithin), error.Message, StringComparison.Ordinal);
    }
}
