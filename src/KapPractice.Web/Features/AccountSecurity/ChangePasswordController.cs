using KapPractice.Web.Domain;
using KapPractice.Web.Features.AdminShell;
using KapPractice.Web.Features.SignIn;
using KapPractice.Web.Infrastructure.Audit;
using KapPractice.Web.Infrastructure.Data;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.RateLimiting;

namespace KapPractice.Web.Features.AccountSecurity;

/// <summary>
/// Changing the password. Its saves stay explicit (no [UnitOfWork]): the current password is counted as at sign-in, in
/// the throttle's own committed transaction before it is judged, and Identity stores the new password by itself.
/// </summary>
[Authorize(Policy = AdminSetup.AnySessionPolicy)]
[EnrolmentOnlyGate]
public sealed class ChangePasswordController(
    UserManager<IdentityUser> users,
    AdminSessions sessions,
    SignInThrottle throttle,
    AuditLog audit,
    KapDbContext db,
    ILogger<ChangePasswordController> logger) : Controller
{
    public const string PasswordBrakeMessage = "Passwords are not accepted for a while after many failed attempts on this account. Try again later.";

    [HttpGet(AdminSetup.SecurityPath + "/password")]
    public IActionResult ChangePassword() => View(new ChangePasswordForm());

    /// <summary>
    /// A new password ends every other session: whoever knew the old one is signed out everywhere. The current password
    /// on the form is the proof this change needs (RequireRecentProof asks for nothing more), and counts as one.
    /// </summary>
    [HttpPost(AdminSetup.SecurityPath + "/password")]
    [EnableRateLimiting(SignInSetup.RateLimitPolicy)]
    [RequestSizeLimit(SignInSetup.MaxSignInBytes)]
    public async Task<IActionResult> ChangePassword([FromForm] ChangePasswordForm form, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(form);
        if (await users.GetUserAsync(User) is not { } user)
        {
            return Challenge();
        }

        if (string.IsNullOrEmpty(form.CurrentPassword) || form.CurrentPassword.Length > SignInSetup.PasswordMaxLength)
        {
            ModelState.AddModelError(nameof(form.CurrentPassword), "Enter your current password.");
        }

        if (string.IsNullOrEmpty(form.NewPassword) || form.NewPassword.Length > SignInSetup.PasswordMaxLength)
        {
            ModelState.AddModelError(nameof(form.NewPassword), "Enter a new password of at least 12 characters.");
        }
        else if (form.NewPassword != form.ConfirmPassword)
        {
            ModelState.AddModelError(nameof(form.ConfirmPassword), "The two new passwords differ: type the same new password twice.");
        }

        if (!ModelState.IsValid)
        {
            return PasswordAgain();
        }

        // The current password is counted as at sign-in (the lock, and the account-wide brake), so a copied session
        // cookie is no way around the brake.
        var attempt = await throttle.BeginAttemptAsync(user.Id, SignInThrottle.ClientOf(HttpContext), SignInFailureKind.Password, cancellationToken);
        if (!attempt.Judged)
        {
            ModelState.AddModelError(nameof(form.CurrentPassword), attempt.State.ClientLocked ? SignInMessages.ClientLocked : PasswordBrakeMessage);
            return PasswordAgain();
        }

        var result = await users.ChangePasswordAsync(user, form.CurrentPassword!, form.NewPassword!);
        if (!result.Succeeded)
        {
            if (result.Errors.Any(e => e.Code == nameof(IdentityErrorDescriber.PasswordMismatch)))
            {
                // A wrong current password counts like a wrong password at sign-in (recorded with the attempt).
                audit.Add(User.AuditName(), AuditActions.SignInFailed, detail: "wrong current password on the Change password page");
                await db.SaveChangesAsync(cancellationToken);
                ModelState.AddModelError(nameof(form.CurrentPassword), "That is not your current password.");
            }
            else
            {
                await throttle.WithdrawAsync(attempt, cancellationToken);
                ModelState.AddModelError(nameof(form.NewPassword), string.Join(" ", result.Errors.Select(e => e.Description)));
            }

            return PasswordAgain();
        }

        await throttle.WithdrawAsync(attempt, cancellationToken);
        var currentSessionId = AdminSessions.CurrentId(HttpContext);
        if (currentSessionId is { } sessionId)
        {
            await sessions.RecordProofAsync(sessionId, cancellationToken);
        }

        var ended = await sessions.EndAllAsync(user.Id, SessionEndReasons.PasswordChanged, currentSessionId, cancellationToken);
        audit.Add(User.AuditName(), AuditActions.PasswordChanged, detail: ended == 1 ? "1 other session ended" : $"{ended} other sessions ended");
        await db.SaveChangesAsync(cancellationToken);
        logger.SecurityChanged(user.Id, AuditActions.PasswordChanged);
        return this.RedirectToSecurity(ended == 0
            ? "Your password is changed."
            : $"Your password is changed, and {(ended == 1 ? "1 other session was" : $"{ended} other sessions were")} signed out.");
    }

    private ViewResult PasswordAgain()
    {
        Response.StatusCode = StatusCodes.Status400BadRequest;
        return View(nameof(ChangePassword), new ChangePasswordForm());
    }
}
