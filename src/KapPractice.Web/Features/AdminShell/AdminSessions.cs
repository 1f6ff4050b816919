using KapPractice.Web.Domain;
using KapPractice.Web.Features.AdminShell;
using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using KapPractice.Web.Infrastructure.Data;
using KapPractice.Web.Infrastructure.Data.Encryption;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace KapPractice.Web.Features.AdminShell;

/// <summary>The session the current admin request belongs to, as checked against its row this request.</summary>
/// <param name="Id">The row's id: the keyed hash of the cookie's session id, never the id itself.</param>
/// <param name="LastProofUtc">When she last gave her password, a code or a passkey in this session (RequireRecentProofAttribute).</param>
public sealed record AdminSessionFeature(string Id, string UserId, bool EnrolmentOnly, DateTime LastProofUtc);

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
/// whoever holds a copy of the cookie. Nothing is cached between requests. The row is kept under a keyed
/// hash of the id (<see cref="RowIdsOf"/>), so the table alone gives nothing to match or forge a session with.
/// </summary>
public sealed class AdminSessions(KapDbContext db, SignInManager<IdentityUser> signInManager, IOptions<AdminOptions> options, TimeProvider time)
{
    public const string SessionClaim = "kap.session";

    /// <summary>Last-seen times are written at most this often: a read per request, a write per minute.</summary>
    public static readonly TimeSpan LastSeenResolution = TimeSpan.FromMinutes(1);

    /// <summary>What the session id's keyed hash is for (DataKeyRing.SecretHash): its own key, used for nothing else.</summary>
    private const string HashPurpose = "admin session id";

    /// <summary>24 bytes of the hash, as many as the id has random bytes: 32 characters, within the column's 40.</summary>
    private const int RowIdBytes = 24;

    // Not a compiled query: each key ring has its own EF model (ClientDataModel), and a compiled query
    // is bound to one model. EF's own query cache makes this one as cheap after the first request.
    private static Task<SessionCheck?> FindForCheckAsync(KapDbContext context, IReadOnlyList<string> rowIds) =>
        context.AdminSessions.AsNoTracking()
            .Where(s => rowIds.Contains(s.Id))
            .Select(s => new SessionCheck(s.Id, s.UserId, s.StartedUtc, s.LastSeenUtc, s.EndedUtc, s.EnrolmentOnly, s.LastProofUtc))
            .FirstOrDefaultAsync();

    /// <summary>The row id of the session this request was checked against (the hash, not the cookie's id); null when signed out.</summary>
    public static string? CurrentId(HttpContext context) => context?.Features.Get<AdminSessionFeature>()?.Id;

    /// <summary>
    /// The row ids a cookie's session id may be stored under: its keyed hash under each key on the ring, newest
    /// first, so a session started before a key rotation is still found while the old key is on the ring.
    /// </summary>
    private static IReadOnlyList<string> RowIdsOf(DataKeyRing ring, string sessionId)
    {
        ArgumentNullException.ThrowIfNull(ring);
        return [.. ring.SecretHashes(HashPurpose, Encoding.UTF8.GetBytes(sessionId)).Select(RowIdOf)];
    }

    private static string RowIdOf(byte[] hash) => WebEncoders.Base64UrlEncode(hash, 0, RowIdBytes);

    /// <summary>Starts a session row and signs the browser in with a cookie that refers to it; returns the row's id (the hash).</summary>
    public async Task<string> SignInAsync(IdentityUser user, string method, bool enrolmentOnly, HttpContext http, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(user);
        ArgumentNullException.ThrowIfNull(http);
        var now = time.GetUtcNow().UtcDateTime;
        // Sessions past the absolute limit can never be used again: forget them.
        var expiredBefore = now - options.Value.AbsoluteTimeout;
        await db.AdminSessions.Where(s => s.UserId == user.Id && s.StartedUtc < expiredBefore).ExecuteDeleteAsync(cancellationToken);

        // The id goes only into the cookie; the row keeps its keyed hash.
        var sessionId = WebEncoders.Base64UrlEncode(RandomNumberGenerator.GetBytes(RowIdBytes));
        var session = new AdminSession
        {
            Id = RowIdOf(db.KeyRing.SecretHash(HashPurpose, Encoding.UTF8.GetBytes(sessionId))),
            UserId = user.Id,
            StartedUtc = now,
            LastSeenUtc = now,
            Client = ClientDescription.Describe(http.Request.Headers.UserAgent.ToString()),
            Method = method,
            EnrolmentOnly = enrolmentOnly,
            // Signing in is a proof: what needs a recent one is open for Admin:ReauthenticateWithin.
            LastProofUtc = now,
        };
        db.AdminSessions.Add(session);
        await db.SaveChangesAsync(cancellationToken);

        var principal = await signInManager.CreateUserPrincipalAsync(user);
        var identity = (ClaimsIdentity)principal.Identity!;
        identity.AddClaim(new Claim(SessionClaim, sessionId));
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
        var id = context.Principal?.FindFirstValue(SessionClaim);
        var userId = context.Principal?.FindFirstValue(ClaimTypes.NameIdentifier);
        var db = services.GetRequiredService<KapDbContext>();
        var session = string.IsNullOrEmpty(id) ? null : await FindForCheckAsync(db, RowIdsOf(db.KeyRing, id));
        if (session is null || session.UserId != userId || session.EndedUtc is not null || now - session.StartedUtc > absoluteTimeout)
        {
            context.RejectPrincipal();
            await context.HttpContext.SignOutAsync(IdentityConstants.ApplicationScheme);
            return;
        }

        if (now - session.LastSeenUtc >= LastSeenResolution)
        {
            await db.AdminSessions.Where(s => s.Id == session.Id).ExecuteUpdateAsync(s => s.SetProperty(x => x.LastSeenUtc, now));
        }

        context.HttpContext.Features.Set(new AdminSessionFeature(session.Id, session.UserId, session.EnrolmentOnly, session.LastProofUtc));
    }

    /// <summary>She has just given her password, a code or a passkey in this session: what needs a recent proof opens again.</summary>
    public Task RecordProofAsync(string sessionId, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow().UtcDateTime;
        return db.AdminSessions.Where(s => s.Id == sessionId && s.EndedUtc == null)
            .ExecuteUpdateAsync(s => s.SetProperty(x => x.LastProofUtc, now), cancellationToken);
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

    private sealed record SessionCheck(string Id, string UserId, DateTime StartedUtc, DateTime LastSeenUtc, DateTime? EndedUtc, bool EnrolmentOnly, DateTime LastProofUtc);
}
