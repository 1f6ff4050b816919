using System.Net;

namespace KapPractice.IntegrationTests;

/// <summary>The headers a browser needs to keep the site's pages safe, on a public page, the form and an admin page.</summary>
[Collection(SharedPublicApp.Name)]
public sealed class SecurityHeadersTests(KapPracticeFactory factory) : IAsyncLifetime
{
    public Task InitializeAsync() => factory.ResetAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    public static TheoryData<string> Pages => ["/", "/inquiry", "/admin/sign-in"];

    private HttpClient HttpsClient() => factory.CreateClient(new() { BaseAddress = new Uri("https://kappractice.test/"), AllowAutoRedirect = false });

    [Theory]
    [MemberData(nameof(Pages))]
    public async Task Page_carries_strict_security_headers(string path)
    {
        using var response = await HttpsClient().GetAsync(new Uri(path, UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var csp = Header(response, "Content-Security-Policy");
        Assert.DoesNotContain("unsafe-inline", csp, StringComparison.Ordinal);
        Assert.DoesNotContain("unsafe-eval", csp, StringComparison.Ordinal);
        Assert.Contains("default-src 'self'", csp, StringComparison.Ordinal);
        Assert.Contains("script-src 'self'", csp, StringComparison.Ordinal);
        Assert.Contains("style-src 'self'", csp, StringComparison.Ordinal);
        Assert.Contains("frame-ancestors 'none'", csp, StringComparison.Ordinal);
        Assert.Contains("object-src 'none'", csp, StringComparison.Ordinal);
        Assert.Equal("nosniff", Header(response, "X-Content-Type-Options"));
        Assert.Equal("strict-origin-when-cross-origin", Header(response, "Referrer-Policy"));
        Assert.Contains("camera=()", Header(response, "Permissions-Policy"), StringComparison.Ordinal);
        Assert.Equal("max-age=31536000; includeSubDomains", Header(response, "Strict-Transport-Security"));
        Assert.False(response.Headers.Contains("Server"));
    }

    [Fact]
    public async Task A_public_page_sets_no_cookie()
    {
        using var response = await HttpsClient().GetAsync(new Uri("/", UriKind.Relative));

        Assert.False(response.Headers.Contains("Set-Cookie"));
    }

    [Theory]
    [InlineData("/inquiry")]
    [InlineData("/admin/sign-in")]
    public async Task A_page_with_a_form_sets_its_antiforgery_cookie_http_only_secure_and_same_site_strict(string path)
    {
        using var response = await HttpsClient().GetAsync(new Uri(path, UriKind.Relative));

        Assert.True(response.Headers.TryGetValues("Set-Cookie", out var values), $"{path} sets its antiforgery cookie");
        Assert.All(values, cookie =>
        {
            Assert.Contains("httponly", cookie, StringComparison.OrdinalIgnoreCase);
            Assert.Contains("secure", cookie, StringComparison.OrdinalIgnoreCase);
            Assert.Contains("samesite=strict", cookie, StringComparison.OrdinalIgnoreCase);
        });
    }

    [Fact]
    public async Task Plain_http_gets_no_hsts_header()
    {
        using var response = await factory.CreateClient(new() { BaseAddress = new Uri("http://kappractice.test/") }).GetAsync(new Uri("/", UriKind.Relative));

        Assert.False(response.Headers.Contains("Strict-Transport-Security"));
    }

    private static string Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) || response.Content.Headers.TryGetValues(name, out values)
            ? string.Join(", ", values)
            : throw new Xunit.Sdk.XunitException($"{name} header missing on {response.RequestMessage?.RequestUri}");
}
