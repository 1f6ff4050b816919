using System.Threading.RateLimiting;
using Microsoft.AspNetCore.HttpOverrides;

namespace KapPractice.Web.Infrastructure.Security;

public static class SecuritySetup
{
    private const int OneYearInSeconds = 365 * 24 * 60 * 60;

    public static WebApplicationBuilder AddWebSecurity(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var isDevelopment = builder.Environment.IsDevelopment();
        // Kestrel writes its Server header after every middleware has run, so the header policy cannot remove it.
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.AddServerHeader = false);

        builder.Services.AddSecurityHeaderPolicies()
            .SetDefaultPolicy(policy =>
            {
                policy.AddFrameOptionsDeny()
                    .AddContentTypeOptionsNoSniff()
                    .AddReferrerPolicyStrictOriginWhenCrossOrigin()
                    .RemoveServerHeader()
                    .AddCrossOriginOpenerPolicy(coop => coop.SameOrigin())
                    .AddPermissionsPolicy(permissions =>
                    {
                        permissions.AddCamera().None();
                        permissions.AddMicrophone().None();
                        permissions.AddGeolocation().None();
                        permissions.AddPayment().None();
                        permissions.AddUsb().None();
                    })
                    .AddContentSecurityPolicy(csp =>
                    {
                        csp.AddDefaultSrc().Self();
                        csp.AddScriptSrc().Self();
                        csp.AddStyleSrc().Self();
                        csp.AddImgSrc().Self().Data();
                        csp.AddFontSrc().Self();
                        csp.AddConnectSrc().Self();
                        csp.AddFormAction().Self();
                        csp.AddBaseUri().Self();
                        csp.AddObjectSrc().None();
                        csp.AddFrameAncestors().None();
                    });
                if (!isDevelopment)
                {
                    policy.AddStrictTransportSecurityMaxAgeIncludeSubDomains(maxAgeInSeconds: OneYearInSeconds);
                }
            });

        builder.Services.AddOptions<ForwardedHeadersOptions>()
            .Configure<IConfiguration>((options, configuration) => ConfigureForwardedHeaders(options, configuration));

        builder.Services.AddRateLimiter(options =>
        {
            options.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            // Says when to try again (the window's end), for people and for calendar apps polling the feed.
            options.OnRejected = (context, _) =>
            {
                if (context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter))
                {
                    context.HttpContext.Response.Headers.RetryAfter = ((int)Math.Ceiling(retryAfter.TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture);
                }

                return ValueTask.CompletedTask;
            };
        });
        return builder;
    }

    /// <summary>
    /// Trusts X-Forwarded-For and X-Forwarded-Proto only from loopback and from the proxies and networks
    /// named in configuration (ForwardedHeaders:KnownProxies, ForwardedHeaders:KnownNetworks), so a
    /// client cannot choose its own address for the rate limits, and the app sees HTTPS behind the proxy.
    /// </summary>
    public static void ConfigureForwardedHeaders(ForwardedHeadersOptions options, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(configuration);
        options.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto;
        foreach (var proxy in configuration.GetSection("ForwardedHeaders:KnownProxies").Get<string[]>() ?? [])
        {
            options.KnownProxies.Add(System.Net.IPAddress.Parse(proxy));
        }

        foreach (var network in configuration.GetSection("ForwardedHeaders:KnownNetworks").Get<string[]>() ?? [])
        {
            options.KnownIPNetworks.Add(System.Net.IPNetwork.Parse(network));
        }
    }

    /// <summary>The partition key for per-client limits: the client address as the proxy reported it.</summary>
    public static string ClientKey(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return context.Connection.RemoteIpAddress?.ToString() ?? "unknown";
    }

    /// <summary>A fixed window per client address; the limit and window come from configuration.</summary>
    public static RateLimitPartition<string> FixedWindowPerClient(HttpContext context, int permitLimit, TimeSpan window) =>
        FixedWindow(ClientKey(context), permitLimit, window);

    /// <summary>A fixed window for one partition key, refused at once (no queue) when spent.</summary>
    public static RateLimitPartition<string> FixedWindow(string key, int permitLimit, TimeSpan window) =>
        RateLimitPartition.GetFixedWindowLimiter(key, _ => new FixedWindowRateLimiterOptions
        {
            PermitLimit = permitLimit,
            Window = window,
            QueueLimit = 0,
            AutoReplenishment = true,
        });
}
