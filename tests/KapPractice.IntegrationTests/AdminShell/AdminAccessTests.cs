using KapPractice.Web.Features.AdminShell;
using KapPractice.Web.Infrastructure.Audit;
using System.Net;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using KapPractice.Web.Features.SignIn;
using KapPractice.Web.Features.AdminAccounts;

namespace KapPractice.IntegrationTests.AdminShell;

[Collection(SharedAdminApp.Name)]
public sealed partial class AdminAccessTests(AdminFactory factory) : IAsyncLifetime
{
    public Task InitializeAsync() => factory.ResetAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task Every_admin_endpoint_refuses_a_signed_out_visitor()
    {
        var client = factory.CreateHttpsClient();
        var endpoints = factory.Services.GetRequiredService<EndpointDataSource>().Endpoints
            .OfType<RouteEndpoint>()
            .Where(e => ("/" + e.RoutePattern.RawText?.TrimStart('/')).StartsWith("/admin", StringComparison.OrdinalIgnoreCase))
            .ToList();
        // List, spam tab, export, inquiry, 6 actions on it, delete page, audit, sign in (2), code (2), passkey (2),
        // sign out, and the Security pages: overview, authenticator (3), recovery codes, passkeys (4), password (2), sessions (2).
        Assert.True(endpoints.Count >= 31, $"only {endpoints.Count} admin endpoints found");

        var checkedRequests = 0;
        foreach (var endpoint in endpoints)
        {
            var path = "/" + RouteParameter().Replace(endpoint.RoutePattern.RawText!.TrimStart('/'), "1");
            var methods = endpoint.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods ?? ["GET", "POST"];
            var anonymous = endpoint.Metadata.GetMetadata<IAllowAnonymous>() is not null;
            foreach (var method in methods)
            {
                using var request = new HttpRequestMessage(new HttpMethod(method), path);
                if (method == "POST")
                {
                    request.Content = new FormUrlEncodedContent([new("status", "Closed"), new("text", "note"), new("id", "1"), new("code", "123456")]);
                }

                using var response = await client.SendAsync(request);
                checkedRequests++;
                var what = $"{method} {path} answered {(int)response.StatusCode}";
                if (anonymous)
                {
                    // Only the sign-in steps are open: the sign-in form, the code step (which sends a visitor who
                    // passed no password back to the sign-in form), HEAD as GET, and every post without a token is refused.
                    Assert.StartsWith(AdminSetup.SignInPath, path, StringComparison.Ordinal);
                    if (method is "GET" or "HEAD")
                    {
                        Assert.True(response.StatusCode == HttpStatusCode.OK
                            || (response.StatusCode == HttpStatusCode.Redirect && response.Headers.Location!.OriginalString == AdminSetup.SignInPath), what);
                    }
                    else
                    {
                        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, what);
                    }

                    continue;
                }

                Assert.True(
                    response.StatusCode is HttpStatusCode.Redirect or HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden,
                    what);
                if (response.StatusCode == HttpStatusCode.Redirect)
                {
                    Assert.StartsWith("https://localhost/admin/sign-in?ReturnUrl=", response.Headers.Location!.ToString(), StringComparison.Ordinal);
                }
            }
        }

        Assert.True(checkedRequests >= endpoints.Count);
    }

    [Fact]
    public async Task Admin_responses_are_never_stored_or_indexed()
    {
        var (client, _) = await factory.SignedInClientAsync();
        using var signedOut = factory.CreateHttpsClient();

        using var redirect = await signedOut.GetAsync(new Uri("/admin", UriKind.Relative));
        using var signInPage = await signedOut.GetAsync(new Uri("/admin/sign-in", UriKind.Relative));
        using var list = await client.GetAsync(new Uri("/admin", UriKind.Relative));
        using var audit = await client.GetAsync(new Uri("/admin/audit", UriKind.Relative));
        using var missing = await client.GetAsync(new Uri("/admin/inquiries/999999", UriKind.Relative));

        Assert.Equal(HttpStatusCode.Redirect, redirect.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        foreach (var response in new[] { redirect, signInPage, list, audit, missing })
        {
            Assert.Contains("no-store", response.Headers.CacheControl!.ToString(), StringComparison.Ordinal);
            Assert.Contains("noindex", string.Join(",", response.Headers.GetValues("X-Robots-Tag")), StringComparison.Ordinal);
        }

        foreach (var response in new[] { signInPage, list, audit })
        {
            var page = await Html.ParseAsync(response);
            Assert.Contains("noindex", page.QuerySelector("meta[name=robots]")!.GetAttribute("content")!, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Every_admin_page_has_the_crisis_notice_in_its_footer()
    {
        var id = (await factory.SubmitAsync(ValidInquiry.Form())).Id;
        var (client, _) = await factory.SignedInClientAsync();
        var pages = new[]
        {
            AdminSetup.SignInPath, "/admin", "/admin/spam", "/admin/audit", $"/admin/inquiries/{id}", $"/admin/inquiries/{id}/delete", $"/admin/inquiries/{id}/print",
            AdminSetup.SecurityPath, AdminSetup.EnrolPath, AdminSetup.SecurityPath + "/password",
        };

        foreach (var path in pages)
        {
            var page = await (path == AdminSetup.SignInPath ? factory.CreateHttpsClient() : client).GetDocumentAsync(path);
            var notice = page.QuerySelector("footer aside.crisis");
            Assert.True(notice is not null, $"{path} has no crisis notice in its footer");
            Assert.Contains("988", notice!.TextContent, StringComparison.Ordinal);
            Assert.Single(page.QuerySelectorAll("#crisis-heading"));
        }
    }

    [Fact]
    public async Task A_public_page_is_not_marked_noindex_by_the_admin_headers()
    {
        using var client = factory.CreateHttpsClient();

        using var response = await client.GetAsync(new Uri("/", UriKind.Relative));

        Assert.False(response.Headers.Contains("X-Robots-Tag"));
    }

    [Fact]
    public async Task Create_admin_then_sign_in_enrols_then_reaches_the_inquiries_list_and_is_audited()
    {
        var email = $"leslie-{Guid.NewGuid():N}@example.org";
        using var output = new StringWriter();
        var exitCode = await AdminCommands.CreateAdminAsync(factory.Services, email, new StringReader(AdminClients.Password + "\n"), output);
        Assert.Equal(0, exitCode);
        Assert.Contains("Created the admin account", output.ToString(), StringComparison.Ordinal);

        using var client = factory.CreateHttpsClient();
        using var response = await client.PostSignInAsync(email, AdminClients.Password);

        // Admin:RequireTwoFactor is on by default: the first sign-in leads to enrolment.
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal(AdminSetup.EnrolPath, response.Headers.Location!.OriginalString);
        var cookie = response.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith(AdminSetup.CookieName + "=", StringComparison.Ordinal));
        Assert.Contains("secure", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("httponly", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("samesite=strict", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("path=/admin", cookie, StringComparison.OrdinalIgnoreCase);
        await client.EnrolAuthenticatorAsync(factory);
        var list = await client.GetDocumentAsync("/admin");
        Assert.Equal("Inquiries", list.QuerySelector("h1")!.TextContent);
        Assert.Equal(email, list.QuerySelector(".signed-in-as")!.TextContent);
        var signedIn = await factory.WithDbAsync(db => db.AuditEntries.AnyAsync(e => e.Actor == email && e.Action == AuditActions.SignedIn));
        Assert.True(signedIn);
    }

    [Fact]
    public async Task Stored_password_uses_pbkdf2_with_at_least_220000_iterations()
    {
        // The product's own work factor: the other tests' apps hash with fewer rounds (KapPracticeFactory.PasswordHashIterations).
        await using var app = new AdminFactory { PasswordHashIterations = null };
        var email = $"hash-{Guid.NewGuid():N}@example.org";
        await app.CreateAdminAsync(email);

        var hash = await app.WithDbAsync(db => db.Users.Where(u => u.Email == email).Select(u => u.PasswordHash).SingleAsync());

        // Identity v3 format: marker byte, PRF (4 bytes), iteration count (4 bytes, big-endian), ...
        var bytes = Convert.FromBase64String(hash!);
        Assert.Equal(0x01, bytes[0]);
        var iterations = (bytes[5] << 24) | (bytes[6] << 16) | (bytes[7] << 8) | bytes[8];
        Assert.True(iterations >= 220_000, $"{iterations} iterations");
        Assert.DoesNotContain(AdminClients.Password, hash!, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("leslie@example.org", "too short")]
    [InlineData("not-an-email", "correct horse battery staple")]
    [InlineData("leslie2@example.org", "")]
    public async Task Create_admin_refuses_a_bad_email_or_password_and_creates_nothing(string email, string password)
    {
        using var output = new StringWriter();

        var exitCode = await AdminCommands.CreateAdminAsync(factory.Services, email, new StringReader(password + "\n"), output);

        Assert.NotEqual(0, exitCode);
        Assert.False(string.IsNullOrWhiteSpace(output.ToString()));
        Assert.False(await factory.WithDbAsync(db => db.Users.AnyAsync(u => u.Email == email)));
    }

    [Fact]
    public async Task Create_admin_refuses_an_address_that_already_has_an_account()
    {
        var email = $"twice-{Guid.NewGuid():N}@example.org";
        await factory.CreateAdminAsync(email);
        using var output = new StringWriter();

        var exitCode = await AdminCommands.CreateAdminAsync(factory.Services, email, new StringReader("another long password\n"), output);

        Assert.Equal(1, exitCode);
        Assert.Contains("already exists", output.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Five_wrong_passwords_lock_this_address_out_so_even_the_right_one_fails_from_it()
    {
        var email = $"locked-{Guid.NewGuid():N}@example.org";
        await factory.CreateAdminAsync(email);
        using var client = factory.CreateHttpsClient();

        for (var attempt = 1; attempt <= 5; attempt++)
        {
            using var wrong = await client.PostSignInAsync(email, "wrong password " + attempt);
            Assert.Equal(HttpStatusCode.BadRequest, wrong.StatusCode);
            var page = await Html.ParseAsync(wrong);
            Assert.Contains(SignInMessages.Failed, page.QuerySelector(".error-summary")!.TextContent, StringComparison.Ordinal);
        }

        using var right = await client.PostSignInAsync(email, AdminClients.Password);

        Assert.Equal(HttpStatusCode.BadRequest, right.StatusCode);
        Assert.False(right.Headers.TryGetValues("Set-Cookie", out var cookies) && cookies.Any(c => c.StartsWith(AdminSetup.CookieName + "=", StringComparison.Ordinal)));
        using var list = await client.GetAsync(new Uri("/admin", UriKind.Relative));
        Assert.Equal(HttpStatusCode.Redirect, list.StatusCode);
        var actions = await factory.WithDbAsync(db => db.AuditEntries.Where(e => e.Actor == email).Select(e => e.Action).ToListAsync());
        Assert.Equal(4, actions.Count(a => a == AuditActions.SignInFailed));
        Assert.Equal(2, actions.Count(a => a == AuditActions.LockedOut));
    }

    [Fact]
    public async Task A_failed_sign_in_for_an_unknown_address_does_not_store_what_was_typed()
    {
        using var client = factory.CreateHttpsClient();
        var typed = $"typo-{Guid.NewGuid():N}@example.org";

        using var response = await client.PostSignInAsync(typed, "whatever password");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var stored = await factory.WithDbAsync(db => db.AuditEntries.Where(e => e.Action == AuditActions.SignInFailed).ToListAsync());
        Assert.Contains(stored, e => e.Actor == AuditLog.UnknownActor);
        Assert.DoesNotContain(stored, e => e.Actor.Contains(typed, StringComparison.Ordinal) || (e.Detail ?? string.Empty).Contains(typed, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("one huge field")]
    [InlineData("many small fields")]
    public async Task An_oversized_sign_in_post_is_refused_with_a_4xx_and_signs_nobody_in(string shape)
    {
        var email = $"oversized-{Guid.NewGuid():N}@example.org";
        await factory.CreateAdminAsync(email);
        using var client = factory.CreateHttpsClient();
        IEnumerable<KeyValuePair<string, string>> fields = shape == "one huge field"
            ? [new("Email", email), new("Password", AdminClients.Password), new("Padding", new string('x', 1024 * 1024))]
            : [new("Email", email), new("Password", AdminClients.Password), .. Enumerable.Range(0, 20_000).Select(i => new KeyValuePair<string, string>($"f{i}", "x"))];

        using var response = await client.SubmitFormAsync(AdminSetup.SignInPath, fields, "form[action='/admin/sign-in']");

        Assert.True(response.StatusCode is HttpStatusCode.RequestEntityTooLarge or HttpStatusCode.BadRequest, $"answered {(int)response.StatusCode}");
        Assert.False(response.Headers.TryGetValues("Set-Cookie", out var cookies) && cookies.Any(c => c.StartsWith(AdminSetup.CookieName + "=", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task Sign_in_only_returns_to_admin_paths()
    {
        var account = await factory.NewAdminAsync();
        using var client = factory.CreateHttpsClient();

        using var password = await client.SubmitFormAsync(
            "/admin/sign-in?ReturnUrl=https://evil.example/",
            [new("Email", account.Email), new("Password", AdminClients.Password), new("ReturnUrl", "//evil.example/admin")],
            "form[action='/admin/sign-in']");
        Assert.Equal(SignInSetup.CodePath, password.Headers.Location!.OriginalString);
        using var code = await client.PostCodeAsync(SignInSetup.CodePath, await account.Phone.NextCodeAsync());

        Assert.Equal("/admin", code.Headers.Location!.OriginalString);
    }

    [Fact]
    public async Task Sign_in_returns_to_the_admin_page_asked_for_after_the_code()
    {
        var account = await factory.NewAdminAsync();
        using var client = factory.CreateHttpsClient();

        using var password = await client.SubmitFormAsync(
            "/admin/sign-in?ReturnUrl=%2Fadmin%2Faudit", [new("Email", account.Email), new("Password", AdminClients.Password)], "form[action='/admin/sign-in']");
        using var code = await client.PostCodeAsync(password.Headers.Location!.OriginalString, await account.Phone.NextCodeAsync());

        Assert.Equal("/admin/audit", code.Headers.Location!.OriginalString);
    }

    [Fact]
    public async Task Signing_out_ends_the_session()
    {
        var (client, email) = await factory.SignedInClientAsync();

        using var signOut = await client.PostAdminFormAsync("/admin", "/admin/sign-out");
        using var after = await client.GetAsync(new Uri("/admin", UriKind.Relative));

        Assert.Equal(HttpStatusCode.Redirect, signOut.StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, after.StatusCode);
        Assert.True(await factory.WithDbAsync(db => db.AuditEntries.AnyAsync(e => e.Actor == email && e.Action == AuditActions.SignedOut)));
    }

    [Fact]
    public async Task Sign_in_posts_are_rate_limited_per_client()
    {
        await using var limited = new KapPracticeFactory().WithSetting("Admin:SignInPermitLimit", "3");
        using var client = limited.CreateHttpsClient();
        var statuses = new List<HttpStatusCode>();

        for (var i = 0; i < 4; i++)
        {
            using var response = await client.PostSignInAsync("nobody@example.org", "wrong password");
            statuses.Add(response.StatusCode);
        }

        Assert.Equal([HttpStatusCode.BadRequest, HttpStatusCode.BadRequest, HttpStatusCode.BadRequest, HttpStatusCode.TooManyRequests], statuses);
    }

    [Fact]
    public async Task The_session_ends_after_30_idle_minutes_and_after_8_hours_however_active()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var app = new AdminFactory().WithServices(services => services.AddSingleton<TimeProvider>(time));
        var (idleClient, _) = await ((KapPracticeFactory)app).SignedInClientAsync();
        var (activeClient, _) = await ((KapPracticeFactory)app).SignedInClientAsync();

        time.Advance(TimeSpan.FromMinutes(20));
        using var stillIn = await activeClient.GetAsync(new Uri("/admin", UriKind.Relative));
        time.Advance(TimeSpan.FromMinutes(11));
        using var idle = await idleClient.GetAsync(new Uri("/admin", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, stillIn.StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, idle.StatusCode);

        // Active every 16 minutes (past half the idle time, so the cookie slides): signed in until the absolute limit.
        var lastOk = TimeSpan.FromMinutes(31);
        while (true)
        {
            using var response = await activeClient.GetAsync(new Uri("/admin", UriKind.Relative));
            if (response.StatusCode != HttpStatusCode.OK)
            {
                Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
                break;
            }

            Assert.True(lastOk <= TimeSpan.FromHours(8), "still signed in after 8 hours");
            time.Advance(TimeSpan.FromMinutes(16));
            lastOk += TimeSpan.FromMinutes(16);
        }

        Assert.True(lastOk > TimeSpan.FromHours(7.5), $"signed out after only {lastOk}");
    }

    [GeneratedRegex(@"\{[^}]+\}")]
    private static partial Regex RouteParameter();
}

[Collection(SharedAdminApp.Name)]
public sealed class AdminStylesheetTests(AdminFactory factory) : IAsyncLifetime
{
    public Task InitializeAsync() => factory.ResetAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task The_admin_stylesheet_linked_from_the_sign_in_page_is_served_as_css()
    {
        using var client = factory.CreateHttpsClient();
        var page = await client.GetDocumentAsync("/admin/sign-in");
        var href = page.QuerySelector("link[rel=stylesheet]")!.GetAttribute("href")!;

        using var response = await client.GetAsync(new Uri(href, UriKind.Relative));

        Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/css", response.Content.Headers.ContentType!.MediaType);
        Assert.Contains(".admin-header", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }
}
