using System.IO.Compression;
using System.Net;
using KapPractice.IntegrationTests.Inquiries;
using KapPractice.Web.Infrastructure;
using Microsoft.AspNetCore.Mvc.Testing.Handlers;
using Microsoft.AspNetCore.OutputCaching;
using Microsoft.AspNetCore.ResponseCompression;
using Microsoft.Extensions.DependencyInjection;

namespace KapPractice.IntegrationTests;

/// <summary>
/// Public pages and the empty form travel compressed, over https too; admin pages, sign-in and a form
/// shown again with someone's answers never are, so BREACH has no secret to measure.
/// </summary>
public sealed class PageCompressionTests(PageCompressionTests.Factory factory) : IClassFixture<PageCompressionTests.Factory>
{
    private const string ArticlePath = "/articles/5-benefits-of-ketamine-assisted-psychotherapy";

    public static TheoryData<string> CachedPublicPages =>
        ["/", "/articles", ArticlePath, "/about", "/privacy", "/sitemap.xml", "/robots.txt", "/feed.xml"];

    [Theory]
    [MemberData(nameof(CachedPublicPages))]
    public async Task A_public_page_is_sent_compressed_over_https_and_reads_the_same_as_uncompressed(string path)
    {
        var (client, sent) = CompressionClient();
        var plain = await factory.CreateClient(new() { BaseAddress = new Uri("https://localhost") }).GetStringAsync(new Uri(path, UriKind.Relative));

        using var response = await client.GetAsync(new Uri(path, UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("br", Assert.Single(sent).Encoding);
        Assert.Contains("Accept-Encoding", response.Headers.Vary);
        Assert.Equal(plain, await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task The_empty_form_is_sent_compressed()
    {
        var (client, sent) = CompressionClient();

        var page = await client.GetDocumentAsync("/inquiry");

        Assert.Equal("br", Assert.Single(sent).Encoding);
        Assert.NotNull(page.QuerySelector("form.inquiry-form input[name=__RequestVerificationToken]"));
    }

    [Fact]
    public async Task The_output_cache_serves_a_plain_page_to_a_client_that_asked_for_no_compression_after_a_compressed_one()
    {
        var (compressing, sent) = CompressionClient();
        using var first = await compressing.GetAsync(new Uri("/about", UriKind.Relative));
        Assert.Equal("br", Assert.Single(sent).Encoding);

        using var plain = await factory.CreateClient().GetAsync(new Uri("/about", UriKind.Relative));

        Assert.Empty(plain.Content.Headers.ContentEncoding);
        Assert.StartsWith("<!DOCTYPE html>", await plain.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_output_cache_keeps_a_page_compressed_once_for_each_encoding_a_browser_can_ask_for()
    {
        var cache = factory.Services.GetRequiredService<IOutputCacheStore>();
        var compressions = factory.Services.GetRequiredService<CompressionCount>();
        var (brotli, sentBrotli) = CompressionClient();
        var (gzip, sentGzip) = CompressionClient("gzip");
        var plain = await factory.CreateClient(new() { BaseAddress = new Uri("https://localhost") }).GetStringAsync(new Uri("/privacy", UriKind.Relative));
        await cache.EvictByTagAsync(SiteSetup.PublicPagesCacheTag, CancellationToken.None);
        var before = compressions.Snapshot();

        using var brotliFirst = await brotli.GetAsync(new Uri("/privacy", UriKind.Relative));
        using var brotliAgain = await brotli.GetAsync(new Uri("/privacy", UriKind.Relative));
        using var gzipFirst = await gzip.GetAsync(new Uri("/privacy", UriKind.Relative));
        using var gzipAgain = await gzip.GetAsync(new Uri("/privacy", UriKind.Relative));

        Assert.Equal(["br", "br"], sentBrotli.Select(response => response.Encoding));
        Assert.Equal(["gzip", "gzip"], sentGzip.Select(response => response.Encoding));
        Assert.True(brotliAgain.Headers.Age is not null, "the second brotli response should come from the output cache");
        Assert.True(gzipAgain.Headers.Age is not null, "the second gzip response should come from the output cache");
        var after = compressions.Snapshot();
        Assert.Equal((1, 1), (after.Brotli - before.Brotli, after.Gzip - before.Gzip)); // four pages sent, each encoding compressed once
        Assert.Contains("Accept-Encoding", gzipAgain.Headers.Vary);
        Assert.Equal(plain, await brotliAgain.Content.ReadAsStringAsync());
        Assert.Equal(plain, await gzipAgain.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task A_form_shown_again_with_the_answers_given_is_not_compressed()
    {
        var (client, sent) = CompressionClient();

        using var response = await client.SubmitFormAsync(
            "/inquiry", InquiryForms.Valid(name: "Zephyrine Quackenbush", email: "not-an-email"), "form.inquiry-form");

        Assert.Contains("Zephyrine Quackenbush", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(("POST", ""), (sent[^1].Method, sent[^1].Encoding));
    }

    [Fact]
    public async Task Sign_in_and_admin_pages_are_never_compressed()
    {
        var email = $"admin-{Guid.NewGuid():N}@example.org";
        await factory.CreateAdminAsync(email);
        var (client, sent) = CompressionClient();

        using var signIn = await client.PostSignInAsync(email, AdminClients.Password);
        Assert.Equal(HttpStatusCode.Redirect, signIn.StatusCode);
        await client.EnrolAuthenticatorAsync(factory);
        using var list = await client.GetAsync(new Uri("/admin", UriKind.Relative));
        using var audit = await client.GetAsync(new Uri("/admin/audit", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, list.StatusCode);
        Assert.Equal(HttpStatusCode.OK, audit.StatusCode);
        Assert.All(sent, response => Assert.Equal("", response.Encoding));
        Assert.Equal(6, sent.Count); // sign-in page, sign-in post, enrolment page (with the key), enrolment post (with the recovery codes), list, audit
    }

    /// <summary>An https client that accepts the encodings given, keeps cookies, records each response's encoding and hands on the decompressed body.</summary>
    private (HttpClient Client, List<(string Method, string Path, string Encoding)> Sent) CompressionClient(string acceptEncoding = "br, gzip")
    {
        var recorder = new DecompressingRecorder(acceptEncoding);
        var client = factory.CreateDefaultClient(new Uri("https://localhost"), new CookieContainerHandler(), recorder);
        return (client, recorder.Sent);
    }

    private sealed class DecompressingRecorder(string acceptEncoding) : DelegatingHandler
    {
        public List<(string Method, string Path, string Encoding)> Sent { get; } = [];

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            request.Headers.TryAddWithoutValidation("Accept-Encoding", acceptEncoding);
            var response = await base.SendAsync(request, cancellationToken);
            var encoding = string.Join(", ", response.Content.Headers.ContentEncoding);
            Sent.Add((request.Method.Method, request.RequestUri!.AbsolutePath, encoding));
            if (encoding.Length == 0)
            {
                return response;
            }

            var compressed = await response.Content.ReadAsStreamAsync(cancellationToken);
            await using Stream decoder = encoding == "br"
                ? new BrotliStream(compressed, CompressionMode.Decompress)
                : new GZipStream(compressed, CompressionMode.Decompress);
            var body = new MemoryStream();
            await decoder.CopyToAsync(body, cancellationToken);
            var decompressed = new ByteArrayContent(body.ToArray());
            foreach (var header in response.Content.Headers.Where(h => h.Key is not ("Content-Encoding" or "Content-Length")))
            {
                decompressed.Headers.TryAddWithoutValidation(header.Key, header.Value);
            }

            response.Content = decompressed;
            return response;
        }
    }

    /// <summary>Posts judged on their content (no minimum fill time) and a sign-in limit no test reaches; the app's own compression, counted.</summary>
    public sealed class Factory : KapPracticeFactory
    {
        public Factory()
        {
            WithSetting("Spam:MinimumFillTime", "00:00:00");
            WithSetting("Admin:SignInPermitLimit", "1000");
            WithServices(services =>
            {
                services.AddSingleton<CompressionCount>();
                services.AddOptions<ResponseCompressionOptions>().PostConfigure<IServiceProvider>((options, provider) =>
                {
                    // The app's two (PageCompression), each made as the app makes it, from its configured options.
                    Assert.Equal(2, options.Providers.Count);
                    var count = provider.GetRequiredService<CompressionCount>();
                    options.Providers.Clear();
                    options.Providers.Add(new CountingCompression(typeof(BrotliCompressionProvider), provider, count));
                    options.Providers.Add(new CountingCompression(typeof(GzipCompressionProvider), provider, count));
                });
            });
        }
    }

    /// <summary>How many responses each encoding has compressed.</summary>
    public sealed class CompressionCount
    {
        private int _brotli;
        private int _gzip;

        public (int Brotli, int Gzip) Snapshot() => (Volatile.Read(ref _brotli), Volatile.Read(ref _gzip));

        public void Add(string encoding)
        {
            if (encoding == "br")
            {
                Interlocked.Increment(ref _brotli);
            }
            else if (encoding == "gzip")
            {
                Interlocked.Increment(ref _gzip);
            }
        }
    }

    /// <summary>A provider of that type, as the app configures it, counting each stream it compresses.</summary>
    private sealed class CountingCompression(Type providerType, IServiceProvider services, CompressionCount count) : ICompressionProvider
    {
        private readonly ICompressionProvider _inner = (ICompressionProvider)ActivatorUtilities.CreateInstance(services, providerType);

        public string EncodingName => _inner.EncodingName;

        public bool SupportsFlush => _inner.SupportsFlush;

        public Stream CreateStream(Stream outputStream)
        {
            count.Add(EncodingName);
            return _inner.CreateStream(outputStream);
        }
    }
}
