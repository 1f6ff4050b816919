using KapPractice.Web.Features.AdminShell;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;

namespace KapPractice.Web.Features.AccountSecurity;

/// <summary>
/// The practitioner's Security page: the authenticator app and its recovery codes, passkeys, the password and the
/// signed-in sessions, each changed by its own controller in this folder. Every one of them carries the
/// <see cref="EnrolmentOnlyGateAttribute"/>, and whatever changes a factor, the recovery codes or every session needs
/// a recent password, code or passkey too (SignIn's RequireRecentProofAttribute).
/// </summary>
[Authorize(Policy = AdminSetup.AnySessionPolicy)]
[EnrolmentOnlyGate]
public sealed class SecurityController(UserManager<IdentityUser> users, SecurityOverview overview) : Controller
{
    /// <summary>Removing the last factor of either kind is refused while one is required.</summary>
    public const string KeepOneFactorMessage = "Your account must keep a second factor (Admin:RequireTwoFactor is on): set up the other kind first, then remove this one.";

    [HttpGet(AdminSetup.SecurityPath)]
    [AllowedWhileEnrolling]
    public async Task<IActionResult> Security(CancellationToken cancellationToken) =>
        await users.GetUserAsync(User) is { } user ? View(await overview.PageAsync(user, HttpContext, cancellationToken)) : Challenge();
}
