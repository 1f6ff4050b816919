using System.Net;
using System.Net.Http.Headers;

namespace KapPractice.IntegrationTests;

/// <summary>
/// Uptime monitors and link checkers ask with HEAD: every public address answers it as it answers GET,
/// with the same status and headers and no body, whether the page comes fresh, compressed or from the output cache.
/// </summary>
[Collection(SharedPublicApp.Name)]
public sealed class HeadRequestTests(KapPracticeFactory factory) : IAsyncLifetime
{
    public Task InitializeAsync() => factory.ResetAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    private const string ArticlePath = "/articles/5-benefits-of-ketamine-assisted-psychotherapy";

    public static TheoryData<string> PublicAddresses =>
    [
        "/", "/articles", ArticlePath, "/about", "/privacy", "/inquiry", "/inquiry/thank-you",
        "/sitemap.xml", "/robots.txt", "/feed.xml", "/healthz",
    ];

    [Theory]
    [MemberData(nameof(PublicAddresses))]
    public async Task Head_answers_like_get_without_a_body(string path)
    {
        var client = factory.CreateClient();

        using var head = await SendAsync(client, HttpMethod.Head, path);
        using var get = await SendAsync(client, HttpMethod.Get, path);

        Assert.Equal(HttpStatusCode.OK, head.StatusCode);
        Assert.Equal(get.Content.Headers.ContentType?.MediaType, head.Content.Headers.ContentType?.MediaType);
        Assert.Empty(await head.Content.ReadAsByteArrayAsync());
        Assert.NotEmpty(await get.Content.ReadAsByteArrayAsync());
    }

    [Theory]
    [MemberData(nameof(PublicAddresses))]
    public async Task Head_asking_for_compression_gets_the_same_encoding_as_get_and_no_body(string path)
    {
        var client = factory.CreateClient(new() { BaseAddress = new Uri("https://localhost") });

        using var get = await SendAsync(client, HttpMethod.Get, path, "br");
        using var head = await SendAsync(client, HttpMethod.Head, path, "br");

        Assert.Equal(HttpStatusCode.OK, head.StatusCode);
        Assert.Equal(get.Content.Headers.ContentEncoding, head.Content.Headers.ContentEncoding);
        Assert.Empty(await head.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task A_head_served_first_leaves_the_output_cache_with_the_whole_page_for_get()
    {
        await using var app = new KapPracticeFactory();
        var client = app.CreateClient();

        using var firstHead = await SendAsync(client, HttpMethod.Head, "/privacy");
        using var get = await SendAsync(client, HttpMethod.Get, "/privacy");
        using var secondHead = await SendAsync(client, HttpMethod.Head, "/privacy");

        Assert.Empty(await firstHead.Content.ReadAsByteArrayAsync());
        Assert.StartsWith("<!DOCTYPE html>", await get.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Contains("</html>", await get.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Empty(await secondHead.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task Head_for_an_unknown_page_is_a_404_without_a_body()
    {
        using var head = await SendAsync(factory.CreateClient(), HttpMethod.Head, "/no-such-page");

        Assert.Equal(HttpStatusCode.NotFound, head.StatusCode);
        Assert.Empty(await head.Content.ReadAsByteArrayAsync());
    }

    private static async Task<HttpResponseMessage> SendAsync(HttpClient client, HttpMethod method, string path, string? acceptEncoding = null)
    {
        using var request = new HttpRequestMessage(method, new Uri(path, UriKind.Relative));
        if (acceptEncoding is not null)
        {
            request.Headers.AcceptEncoding.Add(new StringWithQualityHeaderValue(acceptEncoding));
        }

        return await client.SendAsync(request);
    }
}
