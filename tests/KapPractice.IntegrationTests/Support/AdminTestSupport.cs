using KapPractice.Web.Features.AdminShell;
using System.Net;
using AngleSharp.Dom;
using AngleSharp.Html.Dom;
using KapPractice.Web.Infrastructure;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using KapPractice.Web.Features.SignIn;
using KapPractice.Web.Features.AdminAccounts;

namespace KapPractice.Tests.Support;

/// <summary>A signed-in admin: the client holding the session cookie, the account's address, and the phone it enrolled.</summary>
public sealed record AdminAccount(HttpClient Client, string Email, TestAuthenticator Phone, IReadOnlyList<string> RecoveryCodes);

/// <summary>Admin accounts and signed-in clients for the admin tests.</summary>
public static class AdminClients
{
    public const string Password = "correct horse battery staple";

    /// <summary>An https client (the admin cookie is Secure) that does not follow redirects and keeps cookies.</summary>
    public static HttpClient CreateHttpsClient(this KapPracticeFactory factory)
    {
        ArgumentNullException.ThrowIfNull(factory);
        return factory.CreateClient(new WebApplicationFactoryClientOptions { BaseAddress = new Uri("https://localhost"), AllowAutoRedirect = false });
    }

    /// <summary>Creates the account through the create-admin command's own code, the password given as standard input.</summary>
    public static async Task CreateAdminAsync(this KapPracticeFactory factory, string email, string password = Password)
    {
        ArgumentNullException.ThrowIfNull(factory);
        using var output = new StringWriter();
        var exitCode = await AdminCommands.CreateAdminAsync(factory.Services, email, new StringReader(password + "\n"), output);
        Assert.True(exitCode == 0, output.ToString());
    }

    public static async Task<HttpResponseMessage> PostSignInAsync(this HttpClient client, string email, string password) =>
        await client.SubmitFormAsync(AdminSetup.SignInPath, [new("Email", email), new("Password", password)], $"form[action='{AdminSetup.SignInPath}']");

    /// <summary>Password, then the code step with <paramref name="code"/>; returns the code step's answer.</summary>
    public static async Task<HttpResponseMessage> SignInWithCodeAsync(this HttpClient client, string email, string code, string password = Password)
    {
        using var first = await client.PostSignInAsync(email, password);
        Assert.Equal(HttpStatusCode.Redirect, first.StatusCode);
        Assert.StartsWith(SignInSetup.CodePath, first.Headers.Location!.OriginalString, StringComparison.Ordinal);
        return await client.PostCodeAsync(first.Headers.Location!.OriginalString, code);
    }

    public static Task<HttpResponseMessage> PostCodeAsync(this HttpClient client, string codePageUrl, string code) =>
        client.SubmitFormAsync(codePageUrl, [new("Code", code)], $"form[action='{SignInSetup.CodePath}']");

    /// <summary>
    /// What a new admin does after the first password sign-in (Admin:RequireTwoFactor is on by default): reads
    /// the key off the enrolment page into an authenticator, confirms a code, and keeps the recovery codes shown.
    /// </summary>
    public static async Task<(TestAuthenticator Phone, IReadOnlyList<string> RecoveryCodes)> EnrolAuthenticatorAsync(this HttpClient client, KapPracticeFactory factory)
    {
        ArgumentNullException.ThrowIfNull(factory);
        var page = await client.GetDocumentAsync(AdminSetup.EnrolPath);
        var phone = new TestAuthenticator(page.QuerySelector("#key")!.TextContent, factory.Services.GetRequiredService<TimeProvider>());
        var form = page.QuerySelector<IHtmlFormElement>($"form[action='{AdminSetup.EnrolPath}']")!;
        using var content = new FormUrlEncodedContent(Html.FieldsOf(form, [new("code", await phone.NextCodeAsync())]));
        using var confirmed = await client.PostAsync(new Uri(AdminSetup.EnrolPath, UriKind.Relative), content);
        Assert.Equal(HttpStatusCode.OK, confirmed.StatusCode);
        var codes = (await Html.ParseAsync(confirmed)).QuerySelectorAll(".recovery-codes code").Select(c => c.TextContent).ToList();
        Assert.Equal(Authenticator.RecoveryCodeCount, codes.Count);
        return (phone, codes);
    }

    /// <summary>A new account, signed in with its password and enrolled in an authenticator app: the whole admin area is open.</summary>
    public static async Task<AdminAccount> NewAdminAsync(this KapPracticeFactory factory, HttpClient? client = null)
    {
        var email = $"admin-{Guid.NewGuid():N}@example.org";
        await factory.CreateAdminAsync(email);
        client ??= factory.CreateHttpsClient();
        using var response = await client.PostSignInAsync(email, Password);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal(AdminSetup.EnrolPath, response.Headers.Location!.OriginalString);
        var (phone, codes) = await client.EnrolAuthenticatorAsync(factory);
        return new AdminAccount(client, email, phone, codes);
    }

    /// <summary>A new account and an https client signed in with it, second factor included.</summary>
    public static async Task<(HttpClient Client, string Email)> SignedInClientAsync(this KapPracticeFactory factory)
    {
        var account = await factory.NewAdminAsync();
        return (account.Client, account.Email);
    }

    /// <summary>Posts the form on <paramref name="pageUrl"/> whose action ends with <paramref name="actionSuffix"/>.</summary>
    public static Task<HttpResponseMessage> PostAdminFormAsync(this HttpClient client, string pageUrl, string actionSuffix, params (string Name, string Value)[] values) =>
        client.SubmitFormAsync(pageUrl, values.Select(v => new KeyValuePair<string, string>(v.Name, v.Value)), $"form[action$='{actionSuffix}']");

    /// <summary>The admin cookie a sign-in response set ("kap-admin=..."), to replay later as a copied cookie would be.</summary>
    public static string AdminCookie(this HttpResponseMessage signedIn)
    {
        ArgumentNullException.ThrowIfNull(signedIn);
        return signedIn.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith(AdminSetup.CookieName + "=", StringComparison.Ordinal)).Split(';')[0];
    }

    /// <summary>A request carrying only <paramref name="cookie"/>, from a client that keeps no cookies of its own.</summary>
    public static async Task<HttpResponseMessage> GetWithCookieAsync(this KapPracticeFactory factory, string cookie, string path)
    {
        ArgumentNullException.ThrowIfNull(factory);
        using var client = factory.CreateDefaultClient(new Uri("https://localhost"));
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(path, UriKind.Relative));
        request.Headers.Add("Cookie", cookie);
        return await client.SendAsync(request);
    }
}

/// <summary>The app for admin tests: a sign-in limit high enough for many sign-ins from the one test client, and inquiries stored at once.</summary>
public class AdminFactory : KapPracticeFactory
{
    public AdminFactory()
        : this(DatabaseProvider.Sqlite)
    {
    }

    protected AdminFactory(DatabaseProvider provider)
    {
        Provider = provider;
        WithSetting("Admin:SignInPermitLimit", "1000");
        WithSetting("Spam:MinimumFillTime", "00:00:00");
        // The real time, moved on only when a test signs in a third time within one half minute: the authenticator then
        // moves it to the next code's step rather than wait for it (a test that sets its own clock replaces this one).
        WithServices(services => services.AddSingleton<TimeProvider>(Clock));
    }

    /// <summary>
    /// The app's clock: the real time until a test signs in a third time within one half minute, when the authenticator moves
    /// it on to the next code's step (up to 30 s each time). A test that registers its own TimeProvider replaces it in the app,
    /// and this one is then not the app's.
    /// </summary>
    public ShiftedClock Clock { get; } = ShiftedClock.FromNow();
}

/// <summary>The admin app on PostgreSQL.</summary>
public sealed class PostgreSqlAdminFactory() : AdminFactory(DatabaseProvider.PostgreSql);
