using System.Security.Claims;
using KapPractice.Web.Features.AdminShell;
using KapPractice.Web.Infrastructure.Audit;
using KapPractice.Web.Infrastructure.Data;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;

namespace KapPractice.Web.Features.SignIn;

/// <summary>Signing out ends this session's server-side row (AdminSessions), so its cookie is refused at once even if copied.</summary>
[Authorize(Policy = AdminSetup.AnySessionPolicy)]
public sealed class SignOutController(SignInManager<IdentityUser> signInManager, AdminSessions sessions, AuditLog audit, KapDbContext db) : Controller
{
    /// <remarks>Not a <see cref="UnitOfWorkAttribute"/>: the session ends (committed by itself) before the audit line is saved.</remarks>
    [HttpPost(AdminSetup.SignOutPath)]
    public async Task<IActionResult> SignOutOfAdmin(CancellationToken cancellationToken)
    {
        if (AdminSessions.CurrentId(HttpContext) is { } sessionId && User.FindFirstValue(ClaimTypes.NameIdentifier) is { } userId)
        {
            await sessions.EndAsync(userId, sessionId, SessionEndReasons.SignedOut, cancellationToken);
        }

        audit.Add(User.AuditName(), AuditActions.SignedOut);
        await db.SaveChangesAsync(cancellationToken);
        await signInManager.SignOutAsync();
        return Redirect(AdminSetup.SignInPath + "?signedOut=1");
    }
}
