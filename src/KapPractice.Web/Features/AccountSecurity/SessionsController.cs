using System.Security.Claims;
using KapPractice.Web.Features.AdminShell;
using KapPractice.Web.Features.SignIn;
using KapPractice.Web.Infrastructure.Audit;
using KapPractice.Web.Infrastructure.Data;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;

namespace KapPractice.Web.Features.AccountSecurity;

/// <summary>Ending one signed-in session from the Security page, or every one of them ("Sign out everywhere").</summary>
[Authorize(Policy = AdminSetup.AnySessionPolicy)]
[EnrolmentOnlyGate]
public sealed class SessionsController(
    UserManager<IdentityUser> users,
    SignInManager<IdentityUser> signInManager,
    AdminSessions sessions,
    SecurityOverview overview,
    AuditLog audit,
    KapDbContext db,
    ILogger<SessionsController> logger) : Controller
{
    // Neither action is a [UnitOfWork]: the sessions end (committed by themselves) before the audit line is saved, so a
    // session she asked to end is ended even if the audit line cannot be written.
    [HttpPost(AdminSetup.SecurityPath + "/sessions/end")]
    public async Task<IActionResult> EndSession([FromForm] string? id, CancellationToken cancellationToken)
    {
        if (await users.GetUserAsync(User) is not { } user)
        {
            return Challenge();
        }

        var currentSessionId = AdminSessions.CurrentId(HttpContext);
        var session = string.IsNullOrEmpty(id) ? null : (await sessions.ActiveAsync(user.Id, cancellationToken)).FirstOrDefault(s => s.Id == id);
        if (session is null || !await sessions.EndAsync(user.Id, session.Id, SessionEndReasons.EndedFromSecurityPage, cancellationToken))
        {
            return this.RedirectToSecurity("That session had already ended.");
        }

        audit.Add(User.AuditName(), AuditActions.SessionEnded, detail: $"{overview.Describe(session)}{(session.Id == currentSessionId ? " (this session)" : string.Empty)}");
        await db.SaveChangesAsync(cancellationToken);
        logger.SecurityChanged(user.Id, AuditActions.SessionEnded);
        if (session.Id == currentSessionId)
        {
            await signInManager.SignOutAsync();
            return Redirect(AdminSetup.SignInPath + "?signedOut=1");
        }

        return this.RedirectToSecurity($"The session on {session.Client} is signed out.");
    }

    [HttpPost(AdminSetup.SecurityPath + "/sessions/end-all")]
    [RequireRecentProof]
    public async Task<IActionResult> SignOutEverywhere(CancellationToken cancellationToken)
    {
        if (User.FindFirstValue(ClaimTypes.NameIdentifier) is not { } userId)
        {
            return Challenge();
        }

        var ended = await sessions.EndAllAsync(userId, SessionEndReasons.SignedOutEverywhere, exceptSessionId: null, cancellationToken);
        audit.Add(User.AuditName(), AuditActions.SignedOutEverywhere, detail: ended == 1 ? "1 session ended" : $"{ended} sessions ended");
        await db.SaveChangesAsync(cancellationToken);
        logger.SecurityChanged(userId, AuditActions.SignedOutEverywhere);
        await signInManager.SignOutAsync();
        return Redirect(AdminSetup.SignInPath + "?signedOut=1");
    }
}
