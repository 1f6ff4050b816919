using KapPractice.Web.Domain;
using KapPractice.Web.Features.AdminShell;
using KapPractice.Web.Features.SignIn;
using KapPractice.Web.Infrastructure;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Options;

namespace KapPractice.Web.Features.AccountSecurity;

/// <summary>The Security page's contents (its factors, passkeys and sessions), which every Security controller shows again with an error.</summary>
public sealed class SecurityOverview(
    UserManager<IdentityUser> users,
    Authenticator authenticator,
    AdminSessions sessions,
    IOptions<AdminOptions> options,
    PracticeClock clock)
{
    public async Task<SecurityPage> PageAsync(IdentityUser user, HttpContext http, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(user);
        var passkeys = (await users.GetPasskeysAsync(user))
            .OrderBy(p => p.CreatedAt)
            .Select(p => new PasskeyRow(WebEncoders.Base64UrlEncode(p.CredentialId), p.Name ?? "Passkey", p.CreatedAt))
            .ToList();
        return new SecurityPage(
            AccountSecurityResults.EnrolmentOnly(http),
            options.Value.RequireTwoFactor,
            await authenticator.IsEnabledAsync(user),
            await authenticator.RecoveryCodesLeftAsync(user),
            passkeys,
            await sessions.ActiveAsync(user.Id, cancellationToken),
            AdminSessions.CurrentId(http));
    }

    /// <summary>A session as the audit trail names it: where from, and when it signed in.</summary>
    public string Describe(AdminSession session)
    {
        ArgumentNullException.ThrowIfNull(session);
        return $"{session.Client}, signed in {clock.Format(session.StartedUtc)}";
    }

    /// <summary>The account has an authenticator app or a passkey.</summary>
    public async Task<bool> HasSecondFactorAsync(IdentityUser user) =>
        await authenticator.IsEnabledAsync(user) || (await users.GetPasskeysAsync(user)).Count > 0;
}

/// <summary>How a Security controller answers: the Security page again with an error, or back to it with a message.</summary>
internal static class AccountSecurityResults
{
    /// <summary>This session was opened with the password only, to set up a second factor.</summary>
    public static bool EnrolmentOnly(HttpContext http) => http.Features.Get<AdminSessionFeature>()?.EnrolmentOnly == true;

    public static async Task<IActionResult> SecurityAgainAsync(this Controller controller, SecurityOverview overview, IdentityUser user, string message, CancellationToken cancellationToken, string field = "")
    {
        controller.ModelState.AddModelError(field, message);
        controller.Response.StatusCode = StatusCodes.Status400BadRequest;
        return controller.View("Security", await overview.PageAsync(user, controller.HttpContext, cancellationToken));
    }

    public static RedirectResult RedirectToSecurity(this Controller controller, string flash)
    {
        controller.TempData.SetAdminFlash(flash);
        return controller.Redirect(AdminSetup.SecurityPath);
    }
}
