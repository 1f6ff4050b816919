using KapPractice.Web.Infrastructure.Logging;
using KapPractice.Web.Infrastructure.Performance;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.OutputCaching;

namespace KapPractice.Web.Infrastructure;

public static class SiteSetup
{
    public const string PublicPagesCachePolicy = "PublicPages";

    /// <summary>The cache policy of the pictures under /media: evicted with the pages, never keyed by the content copy.</summary>
    public const string PicturesCachePolicy = "Pictures";

    /// <summary>Every page the public cache policy keeps, evicted together when her content changes.</summary>
    public const string PublicPagesCacheTag = "public-pages";

    /// <summary>What the output cache may hold in all, pages and pictures.</summary>
    public const long OutputCacheSizeLimitBytes = 32L * 1024 * 1024;

    /// <summary>The largest response the output cache keeps.</summary>
    public const long OutputCacheMaximumBodyBytes = 2L * 1024 * 1024;

    /// <summary>MVC with views beside their controllers, antiforgery on every unsafe request, and output caching for public pages.</summary>
    public static WebApplicationBuilder AddSite(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddOptions<PracticeOptions>().BindConfiguration(PracticeOptions.Section).ValidateOnStart();
        builder.Services.AddSingleton<PracticeClock>();
        builder.Services.AddSingleton(TimeProvider.System);
        // Unpublished builds outside Development (tests, `dotnet run` as Production) find compressed assets via the build manifest; a no-op when published.
        builder.WebHost.UseStaticWebAssets();

        builder.Services
            .AddControllersWithViews(options =>
            {
                options.Filters.Add(new AutoValidateAntiforgeryTokenAttribute());
                options.ModelBinderProviders.Insert(0, new StrictEnumModelBinderProvider());
                options.Conventions.Add(new HeadRequests.AnswerHeadLikeGet());
            })
            .AddRazorOptions(options => options.ViewLocationExpanders.Add(new FeatureViewLocationExpander()))
            .AddCookieTempDataProvider(options =>
            {
                options.Cookie.SameSite = SameSiteMode.Strict;
                options.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
            });

        // Secure whenever the request is (behind the proxy, once forwarded headers say https).
        builder.Services.AddAntiforgery(options => options.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest);

        // Pages are keyed by the copy of the content a request began with too: a page rendered from the old copy, stored
        // just after a change evicted the tag, is stored under the old copy's key, which no later request asks for. The
        // store is each instance's memory, as the copy's generation is. Pictures are named by their bytes' hash, so
        // they are not keyed by the copy (every change would leave each one cached twice); a deleted one is evicted, or
        // (if a request for it was under way) expires within the 10 minutes.
        // No page or picture action binds a value from the query string (a test checks), nor does a public view read one,
        // so none is part of the key: "?x=1", "?x=2"… would otherwise each store one more copy of the same page.
        static OutputCachePolicyBuilder Public(OutputCachePolicyBuilder policy) => policy.Expire(TimeSpan.FromMinutes(10)).Tag(PublicPagesCacheTag).SetVaryByQuery([]);
        builder.Services.AddOutputCache(options =>
        {
            // A bound of our own (the default is 100 MB), so that whatever is asked for the cache stays well under the
            // heap's ceiling (docs/deployment.md, Memory).
            options.SizeLimit = OutputCacheSizeLimitBytes;
            // A picture imported at its full size (up to the upload limit) is served from the database instead: no one
            // response takes more than a sixteenth of the cache.
            options.MaximumBodySize = OutputCacheMaximumBodyBytes;
            // A page is stored as sent, compressed (PageCompression runs inside the cache), so its key holds the encoding
            // chosen for the request's Accept-Encoding: one entry per encoding, not per spelling of the header. Pictures
            // are never compressed.
            options.AddPolicy(PublicPagesCachePolicy, policy => Public(policy)
                .VaryByValue(context => new KeyValuePair<string, string>("encoding", PageCompression.EncodingFor(context)))
                .VaryByValue(context => new KeyValuePair<string, string>(
                    "copy", context.RequestServices.GetRequiredService<IPublicCopy>().Generation.ToString(System.Globalization.CultureInfo.InvariantCulture))));
            options.AddPolicy(PicturesCachePolicy, policy => Public(policy));
        });
        return builder;
    }

    public static WebApplication UseSite(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.UseHeadWithoutBody(); // first, so no later step (error pages, compression, cache) can write a HEAD body
        app.UseForwardedHeaders();
        app.UseRequestLogging();
        app.UseSecurityHeaders();
        if (!app.Environment.IsDevelopment())
        {
            app.UseExceptionHandler("/error/500");
        }

        app.UseStatusCodePagesWithReExecute("/error/{0}");
        app.UseRouting();
        app.UseRateLimiter();
        app.UseAuthentication();
        app.UseAuthorization();
        app.UseOutputCache();
        app.UseResponseCompression(); // inside the output cache, which keeps each page as compressed for its encoding

        app.MapStaticAssets();
        app.MapControllers().WithStaticAssets();
        return app;
    }
}
