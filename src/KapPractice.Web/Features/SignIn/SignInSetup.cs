using KapPractice.Web.Features.AdminShell;
using KapPractice.Web.Infrastructure.Security;
using Microsoft.Extensions.Options;

namespace KapPractice.Web.Features.SignIn;

/// <summary>The sign-in's paths, its size limits, its rate limit and its services.</summary>
public static class SignInSetup
{
    /// <summary>The rate limit on every form that takes a password or a code (sign-in, the confirm page, Change password).</summary>
    public const string RateLimitPolicy = "AdminSignIn";

    public const string CodePath = AdminSetup.SignInPath + "/code";
    public const string PasskeyPath = AdminSetup.SignInPath + "/passkey";

    /// <summary>Longer than any password manager makes; a longer one is refused before it is hashed.</summary>
    public const int PasswordMaxLength = 1000;

    /// <summary>A six-digit code or a recovery code fits many times over; anything longer is refused unread.</summary>
    public const int CodeMaxLength = 100;

    /// <summary>An email, a password, a return path and the token fit many times over; anything bigger is refused (413 or 400) before it is read.</summary>
    public const int MaxSignInBytes = 16 * 1024;

    /// <summary>The sign-in limits (per client address, as the lockout counts them), the throttle, the authenticator and the sign-in steps.</summary>
    public static WebApplicationBuilder AddSignIn(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var services = builder.Services;
        services.AddRateLimiter(options => options.AddPolicy(RateLimitPolicy, context =>
        {
            var admin = context.RequestServices.GetRequiredService<IOptions<AdminOptions>>().Value;
            // Clients as the lockout counts them (an IPv6 client by its /64), or a client with a /64 would get a new
            // allowance from each of its addresses.
            return SecuritySetup.FixedWindow(SignInThrottle.ClientOf(context), admin.SignInPermitLimit, admin.SignInWindow);
        }));

        services.AddScoped<SignInThrottle>();
        services.AddScoped<Authenticator>();
        services.AddScoped<SignInSteps>();
        return builder;
    }
}
