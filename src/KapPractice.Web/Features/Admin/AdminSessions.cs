using System.Security.Claims;
using System.Security.Cryptography;
using KapPractice.Web.Infrastructure.Data;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace KapPractice.Web.Features.Admin;

/// <summary>The session the current admin request belongs to, as checked against its row this request.</summary>
public sealed record AdminSessionFeature(string Id, string UserId, bool EnrolmentOnly);

/// <summary>How she signed in, as the session list and the audit trail say it.</summary>
public static class SignInMethods
{
    public const string Password = "password";
    public const string PasswordOnlyToEnrol = "password (to set up a second factor)";
    public const string PasswordAndCode = "password and authenticator code";
    public const string PasswordAndRecoveryCode = "password and recovery code";
    public const string Passkey = "passkey";
}

/// <summary>Why a session ended, as the audit trail says it.</summary>
public static class SessionEndReasons
{
    public const string SignedOut = "signed out";
    public const string EndedFromSecurityPage = "ended on the Security page";
    public const string PasswordChanged = "password changed";
    public const string SignedOutEverywhere = "signed out everywhere";
    public const string TwoFactorReset = "second factor reset";
    public const string EnrolledElsewhere = "second factor set up in another session";
    public const string BeyondEnrolment = "a session opened only to set up a second factor asked for more";
}

/// <summary>
/// Server-side admin sessions. The cookie carries only the session's id (inside its encrypted ticket);
/// every admin request reads the row, so a session ended here is refused at its very next request,
/// whoever holds a copy of the cookie. Nothing is cached between requests.
/// </summary>
public sealed class AdminSessions(KapDbContext db, SignInManager<IdentityUser> signInManager, IOptions<AdminOptions> options, TimeProvider time)
{
    public const string SessionClaim = "kap.session";

    /// <summary>Last-seen times are written at most this often: a read per request, a write per minute.</summary>
    public static readonly TimeSpan LastSeenResolution = TimeSpan.FromMinutes(1);

    // Not a compiled query: each key ring has its own EF model (ClientDataModel), and a compiled query
    // is bound to one model. EF's own query cache makes this one as cheap after the first request.
    private static Task<SessionCheck?> FindForCheckAsync(KapDbContext context, string id) =>
        context.AdminSessions.AsNoTracking()
            .Where(s => s.Id == id)
            .Select(s => new SessionCheck(s.UserId, s.StartedUtc, s.LastSeenUtc, s.EndedUtc, s.EnrolmentOnly))
            .FirstOrDefaultAsync();

    public static string? IdOf(ClaimsPrincipal principal) => principal?.FindFirstValue(SessionClaim);

    /// <summary>Starts a session row and signs the browser in with a cookie that refers to it.</summary>
    public async Task<string> SignInAsync(IdentityUser user, string method, bool enrolmentOnly, HttpContext http, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(user);
        ArgumentNullException.ThrowIfNull(http);
        var now = time.GetUtcNow().UtcDateTime;
        // Sessions past the absolute limit can never be used again: forget them.
        var expiredBefore = now - options.Value.AbsoluteTimeout;
        await db.AdminSessions.Where(s => s.UserId == user.Id && s.StartedUtc < expiredBefore).ExecuteDeleteAsync(cancellationToken);

        var session = new AdminSession
        {
            Id = WebEncoders.Base64UrlEncode(RandomNumberGenerator.GetBytes(24)),
            UserId = user.Id,
            StartedUtc = now,
            LastSeenUtc = now,
            Client = ClientDescription.Describe(http.Request.Headers.UserAgent.ToString()),
            Method = method,
            EnrolmentOnly = enrolmentOnly,
        };
        db.AdminSessions.Add(session);
        await db.SaveChangesAsync(cancellationToken);

        var principal = await signInManager.CreateUserPrincipalAsync(user);
        var identity = (ClaimsIdentity)principal.Identity!;
        identity.AddClaim(new Claim(SessionClaim, session.Id));
        identity.AddClaim(new Claim("amr", method == SignInMethods.Passkey ? "hwk" : enrolmentOnly || method == SignInMethods.Password ? "pwd" : "mfa"));
        await http.SignOutAsync(IdentityConstants.TwoFactorUserIdScheme);
        await http.SignInAsync(IdentityConstants.ApplicationScheme, principal, new AuthenticationProperties { IsPersistent = false });
        return session.Id;
    }

    /// <summary>The cookie's OnValidatePrincipal: the session must exist, belong to the cookie's user, not be ended and not be past the absolute limit.</summary>
    public static async Task ValidateAsync(CookieValidatePrincipalContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var services = context.HttpContext.RequestServices;
        var now = services.GetRequiredService<TimeProvider>().GetUtcNow().UtcDateTime;
        var absoluteTimeout = services.GetRequiredService<IOptions<AdminOptions>>().Value.AbsoluteTimeout;
        var id = context.Principal is { } principal ? IdOf(principal) : null;
        var userId = context.Principal?.FindFirstValue(ClaimTypes.NameIdentifier);
        var db = services.GetRequiredService<KapDbContext>();
        var session = id is null ? null : await FindForCheckAsync(db, id);
        if (session is null || session.UserId != userId || session.EndedUtc is not null || now - session.StartedUtc > absoluteTimeout)
        {
            context.RejectPrincipal();
            await context.HttpContext.SignOutAsync(IdentityConstants.ApplicationScheme);
            return;
        }

        if (now - session.LastSeenUtc >= LastSeenResolution)
        {
            await db.AdminSessions.Where(s => s.Id == id).ExecuteUpdateAsync(s => s.SetProperty(x => x.LastSeenUtc, now));
        }

        context.HttpContext.Features.Set(new AdminSessionFeature(id!, session.UserId, session.EnrolmentOnly));
    }

    /// <summary>Ends one of the user's sessions; false when there was no such open session.</summary>
    public async Task<bool> EndAsync(string userId, string sessionId, string reason, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow().UtcDateTime;
        return await db.AdminSessions.Where(s => s.Id == sessionId && s.UserId == userId && s.EndedUtc == null)
            .ExecuteUpdateAsync(s => s.SetProperty(x => x.EndedUtc, now).SetProperty(x => x.EndedReason, reason), cancellationToken) > 0;
    }

    /// <summary>Ends every open session of the user but <paramref name="exceptSessionId"/>; returns how many.</summary>
    public async Task<int> EndAllAsync(string userId, string reason, string? exceptSessionId, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow().UtcDateTime;
        return await db.AdminSessions.Where(s => s.UserId == userId && s.EndedUtc == null && s.Id != exceptSessionId)
            .ExecuteUpdateAsync(s => s.SetProperty(x => x.EndedUtc, now).SetProperty(x => x.EndedReason, reason), cancellationToken);
    }

    /// <summary>
    /// Ends the user's other open sessions that were signed in with the password only, to enrol: once the
    /// account has a second factor, a password alone must hold nothing. Returns them, for the audit trail.
    /// </summary>
    public async Task<List<AdminSession>> EndOtherEnrolmentOnlyAsync(string userId, string? exceptSessionId, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow().UtcDateTime;
        var ending = await db.AdminSessions.AsNoTracking()
            .Where(s => s.UserId == userId && s.EndedUtc == null && s.EnrolmentOnly && s.Id != exceptSessionId)
            .ToListAsync(cancellationToken);
        var ids = ending.Select(s => s.Id).ToList();
        await db.AdminSessions.Where(s => ids.Contains(s.Id) && s.EndedUtc == null)
            .ExecuteUpdateAsync(s => s.SetProperty(x => x.EndedUtc, now).SetProperty(x => x.EndedReason, SessionEndReasons.EnrolledElsewhere), cancellationToken);
        return ending;
    }

    /// <summary>After enrolment the session that was only for enrolment opens the whole admin area.</summary>
    public Task OpenFullyAsync(string sessionId, CancellationToken cancellationToken) =>
        db.AdminSessions.Where(s => s.Id == sessionId).ExecuteUpdateAsync(s => s.SetProperty(x => x.EnrolmentOnly, false), cancellationToken);

    /// <summary>Open sessions that are neither idle nor past the absolute limit, most recently seen first.</summary>
    public async Task<List<AdminSession>> ActiveAsync(string userId, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var now = time.GetUtcNow().UtcDateTime;
        var startedAfter = now - settings.AbsoluteTimeout;
        var seenAfter = now - settings.IdleTimeout;
        var sessions = await db.AdminSessions.AsNoTracking()
            .Where(s => s.UserId == userId && s.EndedUtc == null && s.StartedUtc > startedAfter && s.LastSeenUtc > seenAfter)
            .ToListAsync(cancellationToken);
        return [.. sessions.OrderByDescending(s => s.LastSeenUtc)];
    }

    private sealed record SessionCheck(string UserId, DateTime StartedUtc, DateTime LastSeenUtc, DateTime? EndedUtc, bool EnrolmentOnly);
}
