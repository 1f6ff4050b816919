using System.Security.Claims;
using KapPractice.Web.Features.AdminShell;
using KapPractice.Web.Infrastructure.Audit;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;

namespace KapPractice.Web.Features.SignIn;

/// <summary>Signing out ends this session's server-side row (AdminSessions), so its cookie is refused at once even if copied.</summary>
[Authorize(Policy = AdminSetup.AnySessionPolicy)]
public sealed class SignOutController(SignInManager<IdentityUser> signInManager, AdminSessions sessions, AuditLog audit) : Controller
{
    [HttpPost(AdminSetup.SignOutPath)]
    [UnitOfWork]
    public async Task<IActionResult> SignOutOfAdmin(CancellationToken cancellationToken)
    {
        if (AdminSessions.CurrentId(HttpContext) is { } sessionId && User.FindFirstValue(ClaimTypes.NameIdentifier) is { } userId)
        {
            await sessions.EndAsync(userId, sessionId, SessionEndReasons.SignedOut, cancellationToken);
        }

        audit.Add(User.AuditName(), AuditActions.SignedOut);
        await signInManager.SignOutAsync();
        return Redirect(AdminSetup.SignInPath + "?signedOut=1");
    }
}
