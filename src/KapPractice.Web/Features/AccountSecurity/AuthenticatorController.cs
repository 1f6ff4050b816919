using KapPractice.Web.Features.AdminShell;
using KapPractice.Web.Features.SignIn;
using KapPractice.Web.Infrastructure.Audit;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;

namespace KapPractice.Web.Features.AccountSecurity;

/// <summary>Setting up the authenticator app (or moving it to a new phone), and removing it.</summary>
[Authorize(Policy = AdminSetup.AnySessionPolicy)]
[EnrolmentOnlyGate]
public sealed class AuthenticatorController(
    UserManager<IdentityUser> users,
    Authenticator authenticator,
    EnrolmentSessions enrolment,
    SecurityOverview overview,
    IOptions<AdminOptions> options,
    AuditLog audit,
    UnitOfWork work,
    ILogger<AuthenticatorController> logger) : Controller
{
    private const string AuthenticatorView = "Authenticator";

    [HttpGet(AdminSetup.EnrolPath)]
    [AllowedWhileEnrolling]
    [RequireRecentProof]
    public async Task<IActionResult> SetUpAuthenticator()
    {
        if (await users.GetUserAsync(User) is not { } user)
        {
            return Challenge();
        }

        return View(AuthenticatorView, new AuthenticatorPage(await authenticator.PendingSetupAsync(user), await authenticator.IsEnabledAsync(user), AccountSecurityResults.EnrolmentOnly(HttpContext)));
    }

    /// <summary>The key, the recovery codes, the sessions and the audit entry are stored together or not at all.</summary>
    [HttpPost(AdminSetup.EnrolPath)]
    [AllowedWhileEnrolling]
    [RequireRecentProof(ReturnTo = AdminSetup.EnrolPath)]
    [UnitOfWork]
    public async Task<IActionResult> ConfirmAuthenticator([FromForm] string? code, CancellationToken cancellationToken)
    {
        if (await users.GetUserAsync(User) is not { } user)
        {
            return Challenge();
        }

        var replacing = await authenticator.IsEnabledAsync(user);
        var codes = code?.Length <= 100 ? await authenticator.ConfirmPendingAsync(user, code) : null;
        if (codes is null)
        {
            ModelState.AddModelError("code", "That code does not match. Enter the six-digit code your authenticator app shows now for this account.");
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return View(AuthenticatorView, new AuthenticatorPage(await authenticator.PendingSetupAsync(user), replacing, AccountSecurityResults.EnrolmentOnly(HttpContext)));
        }

        audit.Add(User.AuditName(), AuditActions.SecondFactorEnrolled, detail: replacing ? "authenticator app (replacing the previous one)" : "authenticator app");
        await enrolment.SecondFactorAddedAsync(user, HttpContext, cancellationToken);
        work.AfterCommit(() => logger.SecurityChanged(user.Id, AuditActions.SecondFactorEnrolled));
        return View("RecoveryCodes", new RecoveryCodesPage(codes, Enrolled: true));
    }

    [HttpPost(AdminSetup.EnrolPath + "/remove")]
    [RequireRecentProof]
    [UnitOfWork]
    public async Task<IActionResult> RemoveAuthenticator(CancellationToken cancellationToken)
    {
        if (await users.GetUserAsync(User) is not { } user)
        {
            return Challenge();
        }

        if (!await authenticator.IsEnabledAsync(user))
        {
            return this.RedirectToSecurity("The authenticator app was already off.");
        }

        if (options.Value.RequireTwoFactor && (await users.GetPasskeysAsync(user)).Count == 0)
        {
            return await this.SecurityAgainAsync(overview, user, SecurityController.KeepOneFactorMessage, cancellationToken);
        }

        await authenticator.RemoveAsync(user);
        audit.Add(User.AuditName(), AuditActions.SecondFactorRemoved, detail: "authenticator app and its recovery codes");
        work.AfterCommit(() => logger.SecurityChanged(user.Id, AuditActions.SecondFactorRemoved));
        return this.RedirectToSecurity("The authenticator app is removed: its codes and your recovery codes no longer work.");
    }
}
