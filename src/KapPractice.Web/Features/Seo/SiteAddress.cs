using KapPractice.Web.Infrastructure;

namespace KapPractice.Web.Features.Seo;

public static class SiteAddress
{
    /// <summary>The site's public origin without a trailing slash: Practice:SiteUrl when set, else the request's own scheme and host.</summary>
    public static string BaseUrl(this HttpRequest request, PracticeOptions options)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(options);
        return string.IsNullOrWhiteSpace(options.SiteUrl)
            ? $"{request.Scheme}://{request.Host}{request.PathBase}"
            : options.SiteUrl.TrimEnd('/');
    }
}
