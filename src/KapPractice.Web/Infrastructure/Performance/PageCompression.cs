using System.IO.Compression;
using Microsoft.AspNetCore.ResponseCompression;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace KapPractice.Web.Infrastructure.Performance;

/// <summary>
/// Marks a GET page that may be compressed, also over HTTPS. Only for pages that hold no secret that
/// stays the same from one response to the next and reflect no request input, so BREACH has nothing to
/// guess: the public pages, and the form, whose antiforgery and fill-time tokens are encrypted afresh
/// (random IV) in every response. Never for admin pages, sign-in, or anything rendered from answers.
/// </summary>
[AttributeUsage(AttributeTargets.Class | AttributeTargets.Method, Inherited = false)]
public sealed class CompressedPageAttribute : Attribute;

public static class PageCompression
{
    /// <summary>Brotli or gzip for HTML, XML and text responses of endpoints marked <see cref="CompressedPageAttribute"/>; nothing else.</summary>
    public static WebApplicationBuilder AddPageCompression(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddResponseCompression(options =>
        {
            // Whether to compress is decided per endpoint by MarkedPagesCompressionProvider, on http and https alike.
            options.EnableForHttps = true;
            options.Providers.Add<BrotliCompressionProvider>();
            options.Providers.Add<GzipCompressionProvider>();
            options.MimeTypes = ["text/html", "text/plain", "application/xml", "application/atom+xml"];
        });
        // Pages are a few KB to 40 KB: the better ratio costs well under a millisecond.
        builder.Services.Configure<BrotliCompressionProviderOptions>(options => options.Level = CompressionLevel.Optimal);
        builder.Services.Configure<GzipCompressionProviderOptions>(options => options.Level = CompressionLevel.Optimal);
        builder.Services.Replace(ServiceDescriptor.Singleton<IResponseCompressionProvider, MarkedPagesCompressionProvider>());
        return builder;
    }

    /// <summary>
    /// The encoding a marked page is sent in for this request ("br", "gzip", or "" for none): what the output cache keys
    /// a stored page by, since it stores the page as sent. Decided as the compression itself decides, from Accept-Encoding.
    /// </summary>
    public static string EncodingFor(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var provider = context.RequestServices.GetRequiredService<IResponseCompressionProvider>();
        return provider.CheckRequestAcceptsCompression(context) ? provider.GetCompressionProvider(context)?.EncodingName ?? "" : "";
    }

    /// <summary>The default provider, asked only for anonymous GET/HEAD requests to marked endpoints.</summary>
    internal sealed class MarkedPagesCompressionProvider(IServiceProvider services, IOptions<ResponseCompressionOptions> options)
        : ResponseCompressionProvider(services, options)
    {
        public override bool ShouldCompressResponse(HttpContext context) =>
            IsMarkedAnonymousRead(context) && base.ShouldCompressResponse(context);

        private static bool IsMarkedAnonymousRead(HttpContext context) =>
            (HttpMethods.IsGet(context.Request.Method) || HttpMethods.IsHead(context.Request.Method))
            && context.User.Identity?.IsAuthenticated != true
            && context.GetEndpoint()?.Metadata.GetMetadata<CompressedPageAttribute>() is not null;
    }
}
