using KapPractice.Web.Infrastructure.Data;
using KapPractice.Web.Infrastructure.Security;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace KapPractice.Web.Features.Admin;

public static class AdminSetup
{
    public const string AdminPolicy = "Admin";
    public const string SignInRateLimitPolicy = "AdminSignIn";
    /// <summary>Where the admin area lives: its cookie, its no-store headers and the sign-in's return paths are limited to it.</summary>
    public const string PathPrefix = "/admin";
    public const string SignInPath = PathPrefix + "/sign-in";
    public const string SignOutPath = PathPrefix + "/sign-out";
    public const string CookieName = "kap-admin";

    /// <summary>PBKDF2 work factor for stored passwords (OWASP: at least 210,000 for HMAC-SHA512).</summary>
    public const int PasswordHashIterations = 220_000;

    private const string SignedInAtKey = "kap.signedInUtc";

    /// <summary>Identity on the app's database, the admin cookie and policy, the sign-in limit, the audit log and retention.</summary>
    public static WebApplicationBuilder AddAdmin(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var services = builder.Services;
        var isDevelopment = builder.Environment.IsDevelopment();
        services.AddOptions<AdminOptions>().BindConfiguration(AdminOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<RetentionOptions>().BindConfiguration(RetentionOptions.Section).ValidateDataAnnotations().ValidateOnStart();

        services.AddIdentityCore<IdentityUser>()
            .AddEntityFrameworkStores<KapDbContext>()
            .AddSignInManager();
        services.AddOptions<IdentityOptions>().Configure<IOptions<AdminOptions>>((identity, admin) =>
        {
            identity.User.RequireUniqueEmail = true;
            identity.Password.RequiredLength = 12;
            identity.Password.RequireNonAlphanumeric = false;
            identity.Password.RequireUppercase = false;
            identity.Password.RequireLowercase = false;
            identity.Password.RequireDigit = false;
            identity.Password.RequiredUniqueChars = 4;
            identity.Lockout.AllowedForNewUsers = true;
            identity.Lockout.MaxFailedAccessAttempts = admin.Value.MaxFailedAttempts;
            identity.Lockout.DefaultLockoutTimeSpan = admin.Value.LockoutDuration;
        });
        services.Configure<PasswordHasherOptions>(options => options.IterationCount = PasswordHashIterations);

        services.AddAuthentication(IdentityConstants.ApplicationScheme).AddIdentityCookies();
        services.AddOptions<CookieAuthenticationOptions>(IdentityConstants.ApplicationScheme)
            .Configure<IOptions<AdminOptions>, TimeProvider>((cookie, admin, time) =>
            {
                cookie.TimeProvider = time;
                cookie.Cookie.Name = CookieName;
                cookie.Cookie.Path = PathPrefix;
                cookie.Cookie.HttpOnly = true;
                cookie.Cookie.SameSite = SameSiteMode.Strict;
                // Development serves plain http on localhost; everywhere else the cookie never travels unencrypted.
                cookie.Cookie.SecurePolicy = isDevelopment ? CookieSecurePolicy.SameAsRequest : CookieSecurePolicy.Always;
                cookie.ExpireTimeSpan = admin.Value.IdleTimeout;
                cookie.SlidingExpiration = true;
                cookie.LoginPath = SignInPath;
                cookie.LogoutPath = SignOutPath;
                cookie.AccessDeniedPath = SignInPath;
                cookie.Events.OnSigningIn = context =>
                {
                    context.Properties.Items.TryAdd(SignedInAtKey, time.GetUtcNow().ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture));
                    return Task.CompletedTask;
                };
                cookie.Events.OnValidatePrincipal = async context =>
                {
                    if (IsPastAbsoluteTimeout(context.Properties.Items, time.GetUtcNow(), admin.Value.AbsoluteTimeout))
                    {
                        context.RejectPrincipal();
                        await context.HttpContext.SignOutAsync(IdentityConstants.ApplicationScheme);
                        return;
                    }

                    await SecurityStampValidator.ValidatePrincipalAsync(context);
                };
            });

        services.AddAuthorizationBuilder().AddPolicy(AdminPolicy, policy => policy
            .AddAuthenticationSchemes(IdentityConstants.ApplicationScheme)
            .RequireAuthenticatedUser());

        services.AddRateLimiter(options => options.AddPolicy(SignInRateLimitPolicy, context =>
        {
            var admin = context.RequestServices.GetRequiredService<IOptions<AdminOptions>>().Value;
            return SecuritySetup.FixedWindowPerClient(context, admin.SignInPermitLimit, admin.SignInWindow);
        }));

        services.AddScoped<AuditLog>();
        services.AddScoped<RetentionSweeper>();
        services.AddHostedService<RetentionService>();
        services.AddTransient<IStartupFilter, AdminResponseHeaders>();
        return builder;
    }

    private static bool IsPastAbsoluteTimeout(IDictionary<string, string?> items, DateTimeOffset now, TimeSpan absoluteTimeout) =>
        !items.TryGetValue(SignedInAtKey, out var value)
        || !long.TryParse(value, System.Globalization.CultureInfo.InvariantCulture, out var seconds)
        || now - DateTimeOffset.FromUnixTimeSeconds(seconds) > absoluteTimeout;
}

/// <summary>
/// Nothing under /admin is cached or indexed: the headers are set for every response there,
/// redirects, rate-limit rejections and error pages included.
/// </summary>
internal sealed class AdminResponseHeaders : IStartupFilter
{
    public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
    {
        app.Use(async (context, nextMiddleware) =>
        {
            if (context.Request.Path.StartsWithSegments(AdminSetup.PathPrefix, StringComparison.OrdinalIgnoreCase))
            {
                context.Response.OnStarting(() =>
                {
                    context.Response.Headers.CacheControl = "no-store";
                    context.Response.Headers.Pragma = "no-cache";
                    context.Response.Headers["X-Robots-Tag"] = "noindex, nofollow";
                    return Task.CompletedTask;
                });
            }

            await nextMiddleware(context);
        });
        next(app);
    };
}
