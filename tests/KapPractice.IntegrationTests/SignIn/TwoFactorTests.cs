using AngleSharp.Dom;
using AngleSharp.Html.Dom;
using KapPractice.Web.Features.AdminShell;
using KapPractice.Web.Infrastructure.Audit;
using System.Net;
using System.Text.RegularExpressions;
using KapPractice.IntegrationTests.Inquiries;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using KapPractice.Web.Features.SignIn;
using KapPractice.Web.Features.AdminAccounts;
using KapPractice.Web.Features.AccountSecurity;

namespace KapPractice.IntegrationTests.SignIn;

[Collection(SharedAdminApp.Name)]
public sealed partial class TwoFactorTests(AdminFactory factory) : IAsyncLifetime
{
    public Task InitializeAsync() => factory.ResetAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task She_enrols_from_the_key_on_the_page_then_signs_in_again_with_password_and_code()
    {
        var email = $"enrol-{Guid.NewGuid():N}@example.org";
        await factory.CreateAdminAsync(email);
        var client = factory.CreateHttpsClient();
        using var password = await client.PostSignInAsync(email, AdminClients.Password);
        Assert.Equal(AdminSetup.EnrolPath, password.Headers.Location!.OriginalString);

        var page = await client.GetDocumentAsync(AdminSetup.EnrolPath);
        var shownKey = page.QuerySelector("#key")!.TextContent;
        Assert.Matches(KeyInGroupsOfFour(), shownKey);
        var qr = page.QuerySelector("img.qr")!;
        Assert.StartsWith("data:image/svg+xml;base64,", qr.GetAttribute("src"), StringComparison.Ordinal);
        Assert.False(string.IsNullOrWhiteSpace(qr.GetAttribute("alt")));
        var (phone, recoveryCodes) = await client.EnrolAuthenticatorAsync(factory);
        Assert.Equal(shownKey, phone.Key);
        Assert.Equal(10, recoveryCodes.Distinct().Count());

        using var signOut = await client.PostAdminFormAsync("/admin", "/admin/sign-out");
        using var fresh = factory.CreateHttpsClient();
        using var signedIn = await fresh.SignInWithCodeAsync(email, await phone.NextCodeAsync());

        Assert.Equal(HttpStatusCode.Redirect, signedIn.StatusCode);
        Assert.Equal("/admin", signedIn.Headers.Location!.OriginalString);
        Assert.Equal("Inquiries", (await fresh.GetDocumentAsync("/admin")).QuerySelector("h1")!.TextContent);
        var audit = await factory.WithDbAsync(db => db.AuditEntries.Where(e => e.Actor == email).ToListAsync());
        Assert.Contains(audit, e => e.Action == AuditActions.SecondFactorEnrolled && e.Detail == "authenticator app");
        Assert.Contains(audit, e => e.Action == AuditActions.SignedIn && e.Detail == SignInMethods.PasswordAndCode);
        var key = shownKey.Replace(" ", "", StringComparison.Ordinal);
        Assert.DoesNotContain(audit, e => (e.Detail ?? "").Contains(key, StringComparison.OrdinalIgnoreCase) || recoveryCodes.Any(c => (e.Detail ?? "").Contains(c, StringComparison.Ordinal)));
    }

    [Fact]
    public async Task A_wrong_code_signs_nobody_in()
    {
        var account = await factory.NewAdminAsync();
        using var client = factory.CreateHttpsClient();
        var right = await account.Phone.NextCodeAsync();
        var wrong = ((int.Parse(right, System.Globalization.CultureInfo.InvariantCulture) + 500_000) % 1_000_000).ToString("000000", System.Globalization.CultureInfo.InvariantCulture);

        using var response = await client.SignInWithCodeAsync(account.Email, wrong);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains(SignInMessages.WrongCode, (await Html.ParseAsync(response)).QuerySelector(".error-summary")!.TextContent, StringComparison.Ordinal);
        Assert.False(response.Headers.TryGetValues("Set-Cookie", out var cookies) && cookies.Any(c => c.StartsWith(AdminSetup.CookieName + "=", StringComparison.Ordinal)));
        using var list = await client.GetAsync(new Uri("/admin", UriKind.Relative));
        Assert.Equal(HttpStatusCode.Redirect, list.StatusCode);
        Assert.True(await factory.WithDbAsync(db => db.AuditEntries.AnyAsync(e => e.Actor == account.Email && e.Action == AuditActions.SignInFailed && e.Detail == "wrong or used code")));
    }

    [Fact]
    public async Task A_code_signs_in_only_once()
    {
        var account = await factory.NewAdminAsync();
        var code = await account.Phone.NextCodeAsync();
        using var first = factory.CreateHttpsClient();
        using var second = factory.CreateHttpsClient();

        using var used = await first.SignInWithCodeAsync(account.Email, code);
        using var replayed = await second.SignInWithCodeAsync(account.Email, code);

        Assert.Equal(HttpStatusCode.Redirect, used.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, replayed.StatusCode);
    }

    [Fact]
    public async Task The_same_code_sent_at_once_from_several_browsers_signs_in_exactly_one_and_errs_for_none()
    {
        const int Browsers = 6;
        var account = await factory.NewAdminAsync();
        var code = await account.Phone.NextCodeAsync();
        var posts = new List<(HttpClient Client, FormUrlEncodedContent Form)>();
        for (var i = 0; i < Browsers; i++)
        {
            var client = factory.CreateHttpsClient();
            using var password = await client.PostSignInAsync(account.Email, AdminClients.Password);
            var codePage = await client.GetDocumentAsync(password.Headers.Location!.OriginalString);
            var form = codePage.QuerySelector<IHtmlFormElement>($"form[action='{SignInSetup.CodePath}']")!;
            posts.Add((client, new FormUrlEncodedContent(Html.FieldsOf(form, [new("Code", code)]))));
        }

        var answers = await Task.WhenAll(posts.Select(p => p.Client.PostAsync(new Uri(SignInSetup.CodePath, UriKind.Relative), p.Form)));

        Assert.All(answers, a => Assert.True((int)a.StatusCode < 500, $"{(int)a.StatusCode} for a raced code"));
        Assert.Single(answers, a => a.StatusCode == HttpStatusCode.Redirect && a.Headers.Location!.OriginalString == "/admin");
        Assert.Equal(Browsers - 1, answers.Count(a => a.StatusCode == HttpStatusCode.BadRequest));
        foreach (var (client, form) in posts)
        {
            form.Dispose();
            client.Dispose();
        }

        foreach (var answer in answers)
        {
            answer.Dispose();
        }
    }

    [Fact]
    public async Task The_pending_sign_in_between_password_and_code_lasts_five_minutes_however_often_the_code_page_is_opened()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var app = new AdminFactory();
        app.WithServices(services => services.AddSingleton<TimeProvider>(time));
        var account = await app.NewAdminAsync();
        using var client = app.CreateHttpsClient();
        using var password = await client.PostSignInAsync(account.Email, AdminClients.Password);
        var codePage = password.Headers.Location!.OriginalString;

        time.Advance(TimeSpan.FromMinutes(4));
        await client.GetDocumentAsync(codePage);
        time.Advance(TimeSpan.FromMinutes(2));
        using var late = await client.GetAsync(new Uri(codePage, UriKind.Relative));

        Assert.Equal(HttpStatusCode.Redirect, late.StatusCode);
        Assert.Equal(AdminSetup.SignInPath, late.Headers.Location!.OriginalString);
    }

    [Fact]
    public async Task Passkeys_are_asked_for_with_user_verification_required()
    {
        var account = await factory.NewAdminAsync();
        var page = await account.Client.GetDocumentAsync(AdminSetup.SecurityPath);
        var token = page.QuerySelector<IHtmlInputElement>("input[name='__RequestVerificationToken']")!.Value;
        using var signIn = factory.CreateHttpsClient();
        var signInPage = await signIn.GetDocumentAsync(AdminSetup.SignInPath);
        var signInToken = signInPage.QuerySelector<IHtmlInputElement>("input[name='__RequestVerificationToken']")!.Value;

        using var createContent = new FormUrlEncodedContent([new("__RequestVerificationToken", token)]);
        using var create = await account.Client.PostAsync(new Uri(AdminSetup.SecurityPath + "/passkeys/options", UriKind.Relative), createContent);
        using var requestContent = new FormUrlEncodedContent([new("__RequestVerificationToken", signInToken)]);
        using var request = await signIn.PostAsync(new Uri(SignInSetup.PasskeyPath + "/options", UriKind.Relative), requestContent);

        Assert.Equal(HttpStatusCode.OK, create.StatusCode);
        Assert.Equal(HttpStatusCode.OK, request.StatusCode);
        using var creation = System.Text.Json.JsonDocument.Parse(await create.Content.ReadAsStringAsync());
        using var assertion = System.Text.Json.JsonDocument.Parse(await request.Content.ReadAsStringAsync());
        Assert.Equal("required", creation.RootElement.GetProperty("authenticatorSelection").GetProperty("userVerification").GetString());
        Assert.Equal("required", assertion.RootElement.GetProperty("userVerification").GetString());
    }

    [Fact]
    public async Task A_recovery_code_signs_in_once_is_audited_with_the_count_left_and_fails_the_second_time()
    {
        var account = await factory.NewAdminAsync();
        var recoveryCode = account.RecoveryCodes[3];

        using var client = factory.CreateHttpsClient();
        using var signedIn = await client.SignInWithCodeAsync(account.Email, recoveryCode.ToLowerInvariant());
        Assert.Equal(HttpStatusCode.Redirect, signedIn.StatusCode);
        using var signOut = await client.PostAdminFormAsync("/admin", "/admin/sign-out");

        using var again = factory.CreateHttpsClient();
        using var reused = await again.SignInWithCodeAsync(account.Email, recoveryCode);

        Assert.Equal(HttpStatusCode.BadRequest, reused.StatusCode);
        var entries = await factory.WithDbAsync(db => db.AuditEntries.Where(e => e.Actor == account.Email).ToListAsync());
        Assert.Contains(entries, e => e.Action == AuditActions.RecoveryCodeUsed && e.Detail == "9 left");
        Assert.Contains(entries, e => e.Action == AuditActions.SignedIn && e.Detail == SignInMethods.PasswordAndRecoveryCode);
        Assert.DoesNotContain(entries, e => (e.Detail ?? "").Contains(recoveryCode, StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public async Task The_security_page_warns_when_two_or_fewer_recovery_codes_are_left()
    {
        var account = await factory.NewAdminAsync();
        foreach (var code in account.RecoveryCodes.Take(7))
        {
            using var client = factory.CreateHttpsClient();
            using var signedIn = await client.SignInWithCodeAsync(account.Email, code);
            Assert.Equal(HttpStatusCode.Redirect, signedIn.StatusCode);
        }

        var three = await account.Client.GetDocumentAsync(AdminSetup.SecurityPath);
        using var last = factory.CreateHttpsClient();
        using var eighth = await last.SignInWithCodeAsync(account.Email, account.RecoveryCodes[7]);
        var two = await account.Client.GetDocumentAsync(AdminSetup.SecurityPath);

        Assert.Equal("3 recovery codes left.", three.QuerySelector(".recovery-left")!.TextContent);
        Assert.Null(three.QuerySelector(".warning-text"));
        Assert.Equal("2 recovery codes left.", two.QuerySelector(".recovery-left")!.TextContent);
        Assert.Contains("Only a few recovery codes are left", two.QuerySelector(".warning-text")!.TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task New_recovery_codes_replace_the_old_ones()
    {
        var account = await factory.NewAdminAsync();

        using var renewed = await account.Client.PostAdminFormAsync(AdminSetup.SecurityPath, "/recovery-codes");
        var newCodes = (await Html.ParseAsync(renewed)).QuerySelectorAll(".recovery-codes code").Select(c => c.TextContent).ToList();
        using var oldClient = factory.CreateHttpsClient();
        using var withOld = await oldClient.SignInWithCodeAsync(account.Email, account.RecoveryCodes[0]);
        using var newClient = factory.CreateHttpsClient();
        using var withNew = await newClient.SignInWithCodeAsync(account.Email, newCodes[0]);

        Assert.Equal(10, newCodes.Count);
        Assert.Equal(HttpStatusCode.BadRequest, withOld.StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, withNew.StatusCode);
        Assert.True(await factory.WithDbAsync(db => db.AuditEntries.AnyAsync(e => e.Actor == account.Email && e.Action == AuditActions.RecoveryCodesRenewed)));
    }

    [Fact]
    public async Task Recovery_codes_are_stored_as_keyed_hashes_so_nothing_stored_reads_as_a_code_and_the_new_ones_work()
    {
        var account = await factory.NewAdminAsync();
        using var renewed = await account.Client.PostAdminFormAsync(AdminSetup.SecurityPath, "/recovery-codes");
        var newCodes = (await Html.ParseAsync(renewed)).QuerySelectorAll(".recovery-codes code").Select(c => c.TextContent).ToList();
        var shown = account.RecoveryCodes.Concat(newCodes).ToList();
        Assert.Equal(2 * Authenticator.RecoveryCodeCount, shown.Distinct().Count());

        var userId = await factory.WithDbAsync(db => db.Users.Where(u => u.Email == account.Email).Select(u => u.Id).SingleAsync());
        // As the app reads them (each value opened with the data key: the hashes and their key, no code), and as the table holds them.
        var opened = await factory.WithDbAsync(db => db.UserTokens.Where(t => t.UserId == userId).Select(t => t.Value ?? "").ToListAsync());
        var raw = await factory.WithDbAsync(db => db.Database.SqlQuery<byte[]>($"SELECT \"Value\" AS \"Value\" FROM \"AspNetUserTokens\" WHERE \"UserId\" = {userId}").ToListAsync());

        Assert.Equal(opened.Count, raw.Count);
        foreach (var value in opened.Concat(raw.Select(System.Text.Encoding.UTF8.GetString)))
        {
            Assert.DoesNotContain(shown, code => (value ?? "").Contains(code, StringComparison.OrdinalIgnoreCase) || (value ?? "").Contains(code.Replace("-", "", StringComparison.Ordinal), StringComparison.OrdinalIgnoreCase));
        }

        Assert.Equal($"{Authenticator.RecoveryCodeCount} recovery codes left.", (await account.Client.GetDocumentAsync(AdminSetup.SecurityPath)).QuerySelector(".recovery-left")!.TextContent);
        using var withNew = await factory.CreateHttpsClient().SignInWithCodeAsync(account.Email, newCodes[4]);
        Assert.Equal(HttpStatusCode.Redirect, withNew.StatusCode);
        using var again = await factory.CreateHttpsClient().SignInWithCodeAsync(account.Email, newCodes[4]);
        Assert.Equal(HttpStatusCode.BadRequest, again.StatusCode);
    }

    [Fact]
    public async Task Moving_to_a_new_phone_keeps_the_old_one_working_until_a_code_from_the_new_one_is_confirmed()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var app = new AdminFactory();
        app.WithServices(services => services.AddSingleton<TimeProvider>(time));
        var account = await app.NewAdminAsync();
        var page = await account.Client.GetDocumentAsync(AdminSetup.EnrolPath);
        Assert.Equal("Move to a new phone", page.QuerySelector("h1")!.TextContent);
        var newPhone = new TestAuthenticator(page.QuerySelector("#key")!.TextContent, time);
        Assert.NotEqual(account.Phone.Key, newPhone.Key);

        time.Advance(TimeSpan.FromSeconds(30));
        using var oldStillWorks = await app.CreateHttpsClient().SignInWithCodeAsync(account.Email, await account.Phone.NextCodeAsync());
        time.Advance(TimeSpan.FromSeconds(30));
        using var confirmed = await account.Client.SubmitFormAsync(AdminSetup.EnrolPath, [new("code", await newPhone.NextCodeAsync())], $"form[action='{AdminSetup.EnrolPath}']");
        time.Advance(TimeSpan.FromSeconds(30));
        using var oldRefused = await app.CreateHttpsClient().SignInWithCodeAsync(account.Email, account.Phone.CodeAt(time.GetUtcNow()));
        using var newWorks = await app.CreateHttpsClient().SignInWithCodeAsync(account.Email, await newPhone.NextCodeAsync());

        Assert.Equal(HttpStatusCode.Redirect, oldStillWorks.StatusCode);
        Assert.Equal(HttpStatusCode.OK, confirmed.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, oldRefused.StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, newWorks.StatusCode);
        Assert.True(await app.WithDbAsync(db => db.AuditEntries.AnyAsync(e => e.Actor == account.Email && e.Action == AuditActions.SecondFactorEnrolled && e.Detail == "authenticator app (replacing the previous one)")));
    }

    [Fact]
    public async Task The_only_second_factor_cannot_be_removed_while_one_is_required()
    {
        var account = await factory.NewAdminAsync();

        using var removed = await account.Client.PostAdminFormAsync(AdminSetup.SecurityPath, "/authenticator/remove");

        Assert.Equal(HttpStatusCode.BadRequest, removed.StatusCode);
        Assert.Contains(SecurityController.KeepOneFactorMessage, (await Html.ParseAsync(removed)).QuerySelector(".error-summary")!.TextContent, StringComparison.Ordinal);
        using var stillNeedsCode = await factory.CreateHttpsClient().SignInWithCodeAsync(account.Email, await account.Phone.NextCodeAsync());
        Assert.Equal(HttpStatusCode.Redirect, stillNeedsCode.StatusCode);
    }

    [Fact]
    public async Task Reset_two_factor_turns_the_factors_off_ends_every_session_and_leads_to_enrolment_at_the_next_sign_in()
    {
        var account = await factory.NewAdminAsync();
        using var output = new StringWriter();

        var exitCode = await AdminCommands.ResetTwoFactorAsync(factory.Services, account.Email, output);

        Assert.Equal(0, exitCode);
        Assert.Contains("is reset", output.ToString(), StringComparison.Ordinal);
        using var oldSession = await account.Client.GetAsync(new Uri("/admin", UriKind.Relative));
        Assert.Equal(HttpStatusCode.Redirect, oldSession.StatusCode);
        Assert.StartsWith("https://localhost/admin/sign-in", oldSession.Headers.Location!.ToString(), StringComparison.Ordinal);
        using var client = factory.CreateHttpsClient();
        using var password = await client.PostSignInAsync(account.Email, AdminClients.Password);
        Assert.Equal(AdminSetup.EnrolPath, password.Headers.Location!.OriginalString);
        var entry = await factory.WithDbAsync(db => db.AuditEntries.SingleAsync(e => e.Action == AuditActions.SecondFactorReset && e.Detail!.Contains(account.Email)));
        Assert.Equal("reset-two-factor command", entry.Actor);
    }

    [Fact]
    public async Task Reset_two_factor_for_an_unknown_address_changes_nothing()
    {
        using var output = new StringWriter();

        var exitCode = await AdminCommands.ResetTwoFactorAsync(factory.Services, "nobody-here@example.org", output);
        var usage = await AdminCommands.ResetTwoFactorAsync(factory.Services, null, output);

        Assert.Equal(1, exitCode);
        Assert.Equal(2, usage);
        Assert.Contains("no account", output.ToString(), StringComparison.Ordinal);
    }

    [GeneratedRegex("^([A-Z2-7]{4} )+[A-Z2-7]{1,4}$")]
    private static partial Regex KeyInGroupsOfFour();
}

/// <summary>Admin:RequireTwoFactor (on by default): a password alone opens only enrolment.</summary>
public sealed class RequiredTwoFactorTests
{
    [Fact]
    public async Task Before_enrolment_no_inquiry_is_shown_and_every_admin_page_leads_to_enrolment()
    {
        await using var app = new AdminFactory();
        app.WithSetting("Spam:MinimumFillTime", "00:00:00");
        using (var visitor = app.NewClient())
        {
            using var submitted = await visitor.SubmitInquiryAsync(InquiryForms.Valid(name: "Philippa Notyetseen"));
            InquiryForms.AssertRedirectedToConfirmation(submitted);
        }

        var id = (await app.InquiriesAsync()).Single().Id;
        var email = $"new-{Guid.NewGuid():N}@example.org";
        await app.CreateAdminAsync(email);
        var client = app.CreateHttpsClient();
        using var signIn = await client.PostSignInAsync(email, AdminClients.Password);
        Assert.Equal(AdminSetup.EnrolPath, signIn.Headers.Location!.OriginalString);

        var endpoints = app.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.Metadata.GetOrderedMetadata<IAuthorizeData>().Any(a => a.Policy == AdminSetup.AdminPolicy) && e.Metadata.GetMetadata<IAllowAnonymous>() is null)
            .Where(e => e.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods.Contains("GET") == true)
            .ToList();
        Assert.True(endpoints.Count >= 6, $"only {endpoints.Count} GET endpoints need a full session");
        foreach (var endpoint in endpoints)
        {
            // Every number in the route (an inquiry's id, a revision's number) is the stored inquiry's id: the route matches, and only the session decides.
            var path = "/" + System.Text.RegularExpressions.Regex.Replace(endpoint.RoutePattern.RawText!.TrimStart('/'), @"\{[A-Za-z]+:int\}", id.ToString(System.Globalization.CultureInfo.InvariantCulture));
            using var response = await client.GetAsync(new Uri(path, UriKind.Relative));
            Assert.True(response.StatusCode == HttpStatusCode.Redirect, $"GET {path} answered {(int)response.StatusCode}");
            Assert.StartsWith("https://localhost" + AdminSetup.EnrolPath, response.Headers.Location!.ToString(), StringComparison.Ordinal);
            Assert.DoesNotContain("Philippa", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        var security = await client.GetDocumentAsync(AdminSetup.SecurityPath);
        Assert.Contains("Set up a second factor to continue", security.QuerySelector("#enrol-title")!.TextContent, StringComparison.Ordinal);
        Assert.Null(security.QuerySelector("nav a[href='/admin']"));
        Assert.DoesNotContain("Philippa", security.DocumentElement.OuterHtml, StringComparison.Ordinal);

        await client.EnrolAuthenticatorAsync(app);
        Assert.Contains("Philippa Notyetseen", (await client.GetDocumentAsync("/admin")).QuerySelector("table.inquiries")!.TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task With_the_setting_off_a_password_alone_opens_the_admin_area()
    {
        await using var app = new AdminFactory();
        app.WithSetting("Admin:RequireTwoFactor", "false");
        var email = $"plain-{Guid.NewGuid():N}@example.org";
        await app.CreateAdminAsync(email);
        using var client = app.CreateHttpsClient();

        using var signIn = await client.PostSignInAsync(email, AdminClients.Password);

        Assert.Equal("/admin", signIn.Headers.Location!.OriginalString);
        Assert.Equal("Inquiries", (await client.GetDocumentAsync("/admin")).QuerySelector("h1")!.TextContent);
    }
}
