using KapPractice.Web.Features.AdminShell;
using KapPractice.Web.Features.SignIn;
using KapPractice.Web.Infrastructure.Audit;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;

namespace KapPractice.Web.Features.AccountSecurity;

/// <summary>New recovery codes for the authenticator app: the old ones stop working.</summary>
[Authorize(Policy = AdminSetup.AnySessionPolicy)]
[EnrolmentOnlyGate]
public sealed class RecoveryCodesController(
    UserManager<IdentityUser> users,
    Authenticator authenticator,
    SecurityOverview overview,
    AuditLog audit,
    UnitOfWork work,
    ILogger<RecoveryCodesController> logger) : Controller
{
    [HttpPost(AdminSetup.SecurityPath + "/recovery-codes")]
    [RequireRecentProof]
    [UnitOfWork]
    public async Task<IActionResult> NewRecoveryCodes(CancellationToken cancellationToken)
    {
        if (await users.GetUserAsync(User) is not { } user)
        {
            return Challenge();
        }

        if (!await authenticator.IsEnabledAsync(user))
        {
            return await this.SecurityAgainAsync(overview, user, "Recovery codes come with the authenticator app: set that up first.", cancellationToken);
        }

        var codes = await authenticator.NewRecoveryCodesAsync(user);
        audit.Add(User.AuditName(), AuditActions.RecoveryCodesRenewed, detail: $"{codes.Count} new codes; the old ones no longer work");
        work.AfterCommit(() => logger.SecurityChanged(user.Id, AuditActions.RecoveryCodesRenewed));
        return View("RecoveryCodes", new RecoveryCodesPage(codes, Enrolled: false));
    }
}
