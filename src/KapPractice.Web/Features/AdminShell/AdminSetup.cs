using KapPractice.Web.Features.AdminShell;
using KapPractice.Web.Infrastructure.Audit;
using KapPractice.Web.Infrastructure.Data;
using KapPractice.Web.Infrastructure;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace KapPractice.Web.Features.AdminShell;

public static class AdminSetup
{
    /// <summary>The whole admin area: a signed-in session that has its second factor (or needs none).</summary>
    public const string AdminPolicy = "Admin";

    /// <summary>The Security pages and sign-out: any signed-in session, the one opened only for enrolment too.</summary>
    public const string AnySessionPolicy = "AdminAnySession";

    /// <summary>Where the admin area lives: its cookies, its no-store headers and the sign-in's return paths are limited to it.</summary>
    public const string PathPrefix = "/admin";
    public const string SignInPath = PathPrefix + "/sign-in";
    public const string SignOutPath = PathPrefix + "/sign-out";
    public const string SecurityPath = PathPrefix + "/security";
    public const string EnrolPath = SecurityPath + "/authenticator";

    /// <summary>"Confirm it's you": the password, a code or a passkey again, before a change that needs a recent one (RequireRecentProof).</summary>
    public const string ConfirmPath = SecurityPath + "/confirm";
    public const string CookieName = "kap-admin";

    /// <summary>Holds who passed the password until the code is typed, or a passkey ceremony's challenge (Identity's two-factor cookie).</summary>
    public const string PendingCookieName = "kap-admin-pending";

    /// <summary>PBKDF2 work factor for stored passwords (OWASP: at least 210,000 for HMAC-SHA512).</summary>
    public const int PasswordHashIterations = 220_000;

    /// <summary>
    /// Identity's store in the app's database: Version3 of its schema adds the passkey table. The EF Core model reads these
    /// options, so the migrations depend on them: a change here needs a migration for each provider (docs/operations.md).
    /// The tests' migrated PostgreSQL template builds its model with them too.
    /// </summary>
    public static void ConfigureStore(StoreOptions stores)
    {
        ArgumentNullException.ThrowIfNull(stores);
        stores.SchemaVersion = IdentitySchemaVersions.Version3;
    }

    /// <summary>Identity on the app's database, the admin cookie and policies, sessions and the audit log (the sign-in's limits are SignInSetup's, retention is RetentionSetup's).</summary>
    public static WebApplicationBuilder AddAdmin(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var services = builder.Services;
        var isDevelopment = builder.Environment.IsDevelopment();
        services.AddOptions<AdminOptions>().BindConfiguration(AdminOptions.Section).ValidateDataAnnotations().ValidateOnStart();

        services.AddIdentityCore<IdentityUser>(identity => ConfigureStore(identity.Stores))
            .AddEntityFrameworkStores<KapDbContext>()
            .AddSignInManager();
        // The same EF store, with recovery codes kept as keyed hashes (KapUserStore).
        services.Replace(ServiceDescriptor.Scoped<IUserStore<IdentityUser>, KapUserStore>());
        services.Configure<IdentityOptions>(identity =>
        {
            identity.User.RequireUniqueEmail = true;
            identity.Password.RequiredLength = 12;
            identity.Password.RequireNonAlphanumeric = false;
            identity.Password.RequireUppercase = false;
            identity.Password.RequireLowercase = false;
            identity.Password.RequireDigit = false;
            identity.Password.RequiredUniqueChars = 4;
            // Identity's lockout counts per account, so five wrong passwords from anyone would lock her out:
            // it stays off (nothing here calls AccessFailedAsync); the sign-in's throttle locks per account and address instead.
            identity.Lockout.AllowedForNewUsers = false;
        });
        services.Configure<PasswordHasherOptions>(options => options.IterationCount = PasswordHashIterations);
        services.AddOptions<IdentityPasskeyOptions>().Configure<IOptions<PracticeOptions>>((passkeys, practice) =>
        {
            // A passkey counts as both factors, so the authenticator must check it is her (PIN, fingerprint, face).
            // Identity 10's default is already "required"; it is set here so it stays so.
            passkeys.UserVerificationRequirement = "required";
            // A passkey belongs to one host name: the public address when it is set, else the request's host.
            if (Uri.TryCreate(practice.Value.SiteUrl?.Trim(), UriKind.Absolute, out var site))
            {
                passkeys.ServerDomain = site.Host;
            }
        });

        services.AddAuthentication(IdentityConstants.ApplicationScheme).AddIdentityCookies();
        services.AddOptions<CookieAuthenticationOptions>(IdentityConstants.ApplicationScheme)
            .Configure<IOptions<AdminOptions>, TimeProvider>((cookie, admin, time) =>
            {
                AdminCookie(cookie, CookieName, time, isDevelopment);
                cookie.ExpireTimeSpan = admin.Value.IdleTimeout;
                cookie.SlidingExpiration = true;
                cookie.LoginPath = SignInPath;
                cookie.LogoutPath = SignOutPath;
                // Only a session opened for enrolment is ever refused a page it is signed in for.
                cookie.AccessDeniedPath = EnrolPath;
                // Every admin request checks its session row (AdminSessions): ended means refused, at once.
                // This replaces Identity's security-stamp check, which looked only every 30 minutes.
                cookie.Events.OnValidatePrincipal = AdminSessions.ValidateAsync;
            });
        services.AddOptions<CookieAuthenticationOptions>(IdentityConstants.TwoFactorUserIdScheme)
            .Configure<TimeProvider>((cookie, time) =>
            {
                AdminCookie(cookie, PendingCookieName, time, isDevelopment);
                cookie.ExpireTimeSpan = TimeSpan.FromMinutes(5);
                // Five minutes from the password, however often the code page is opened: it must not slide.
                cookie.SlidingExpiration = false;
            });

        services.AddAuthorizationBuilder()
            .AddPolicy(AdminPolicy, policy => policy
                .AddAuthenticationSchemes(IdentityConstants.ApplicationScheme)
                .RequireAuthenticatedUser()
                .AddRequirements(new FullSessionRequirement()))
            .AddPolicy(AnySessionPolicy, policy => policy
                .AddAuthenticationSchemes(IdentityConstants.ApplicationScheme)
                .RequireAuthenticatedUser());
        services.AddSingleton<IAuthorizationHandler, FullSessionHandler>();

        services.AddScoped<AuditLog>();
        services.AddScoped<UnitOfWork>();
        services.AddScoped<AdminSessions>();
        services.AddTransient<IStartupFilter, AdminResponseHeaders>();
        return builder;
    }

    /// <summary>
    /// A return address taken from a request, only when it is a path inside the admin area: never another site, never a
    /// public page, never the sign-in or confirm steps themselves (which would send her round in a circle).
    /// </summary>
    public static string? LocalReturnUrl(IUrlHelper url, string? returnUrl)
    {
        ArgumentNullException.ThrowIfNull(url);
        return !string.IsNullOrEmpty(returnUrl) && url.IsLocalUrl(returnUrl) && returnUrl.StartsWith(PathPrefix, StringComparison.OrdinalIgnoreCase)
            && !returnUrl.StartsWith(SignInPath, StringComparison.OrdinalIgnoreCase)
            && !returnUrl.StartsWith(ConfirmPath, StringComparison.OrdinalIgnoreCase)
            ? returnUrl
            : null;
    }

    private static void AdminCookie(CookieAuthenticationOptions cookie, string name, TimeProvider time, bool isDevelopment)
    {
        cookie.TimeProvider = time;
        cookie.Cookie.Name = name;
        cookie.Cookie.Path = PathPrefix;
        cookie.Cookie.HttpOnly = true;
        cookie.Cookie.SameSite = SameSiteMode.Strict;
        // Development serves plain http on localhost; everywhere else the cookie never travels unencrypted.
        cookie.Cookie.SecurePolicy = isDevelopment ? CookieSecurePolicy.SameAsRequest : CookieSecurePolicy.Always;
    }
}

/// <summary>The session has its second factor, or was opened when none was required.</summary>
public sealed class FullSessionRequirement : IAuthorizationRequirement;

internal sealed class FullSessionHandler : AuthorizationHandler<FullSessionRequirement>
{
    protected override Task HandleRequirementAsync(AuthorizationHandlerContext context, FullSessionRequirement requirement)
    {
        if (context.Resource is HttpContext http && http.Features.Get<AdminSessionFeature>() is { EnrolmentOnly: false })
        {
            context.Succeed(requirement);
        }

        return Task.CompletedTask;
    }
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
