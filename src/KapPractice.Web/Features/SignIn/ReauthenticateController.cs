using KapPractice.Web.Domain;
using KapPractice.Web.Features.AdminShell;
using KapPractice.Web.Infrastructure.Audit;
using KapPractice.Web.Infrastructure.Data;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.RateLimiting;

namespace KapPractice.Web.Features.SignIn;

/// <summary>
/// "Confirm it's you" (docs/security.md): her password, a code from her authenticator app or one of her
/// passkeys, given again in this session before a change that needs a recent one (<see cref="RequireRecentProofAttribute"/>).
/// The password and the code are counted
/// as at sign-in (SignInThrottle.BeginAttemptAsync): a wrong one is a failure for this address and for the account-wide
/// brake, and neither is judged from a locked address or while its brake is on, so a copied session cookie is no way
/// around the brake; a passkey, which cannot be guessed, passes them as at sign-in (so a passkey-only account can still
/// confirm while the brake is on). A recovery code is not offered: it would be spent on a confirmation.
/// </summary>
[Authorize(Policy = AdminSetup.AnySessionPolicy)]
public sealed class ReauthenticateController(
    UserManager<IdentityUser> users,
    SignInManager<IdentityUser> signInManager,
    Authenticator authenticator,
    AdminSessions sessions,
    SignInThrottle throttle,
    AuditLog audit,
    KapDbContext db,
    ILogger<ReauthenticateController> logger) : Controller
{
    public const string WrongPasswordMessage = "That is not your password.";
    public const string WrongCodeMessage = "That code is not right, or it was already used. Enter the code your authenticator app shows now.";
    public const string PasswordBrakeMessage = "Passwords are not accepted for a while after many failed attempts on this account. Confirm with your authenticator code or a passkey, or try again later.";
    public const string CodeBrakeMessage = "Too many wrong codes were entered for this account, so codes are refused for a while. Confirm with your password instead.";
    public const string PasskeyFailedMessage = "That passkey was not accepted. Try again, or confirm with your password.";
    public const string CodePath = AdminSetup.ConfirmPath + "/code";
    public const string PasskeyPath = AdminSetup.ConfirmPath + "/passkey";

    /// <summary>The model-state key of a passkey's error (the passkey has no field of its own).</summary>
    public const string PasskeyErrorKey = "passkey";

    [HttpGet(AdminSetup.ConfirmPath)]
    public async Task<IActionResult> Reauthenticate([FromQuery(Name = "ReturnUrl")] string? returnUrl) =>
        await users.GetUserAsync(User) is { } user
            ? View(await PageAsync(user, new ReauthenticateForm { ReturnUrl = AdminSetup.LocalReturnUrl(Url, returnUrl) }))
            : Challenge();

    [HttpPost(AdminSetup.ConfirmPath)]
    [EnableRateLimiting(SignInSetup.RateLimitPolicy)]
    [RequestSizeLimit(SignInSetup.MaxSignInBytes)]
    public async Task<IActionResult> WithPassword([FromForm] ReauthenticateForm form, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(form);
        if (await users.GetUserAsync(User) is not { } user)
        {
            return Challenge();
        }

        if (string.IsNullOrEmpty(form.Password) || form.Password.Length > SignInSetup.PasswordMaxLength)
        {
            return await AgainAsync(user, form, nameof(ReauthenticateForm.Password), "Enter your password.");
        }

        return await JudgeAsync(user, form, PasswordProof, () => users.CheckPasswordAsync(user, form.Password), cancellationToken);
    }

    [HttpPost(CodePath)]
    [EnableRateLimiting(SignInSetup.RateLimitPolicy)]
    [RequestSizeLimit(SignInSetup.MaxSignInBytes)]
    public async Task<IActionResult> WithCode([FromForm] ReauthenticateForm form, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(form);
        if (await users.GetUserAsync(User) is not { } user)
        {
            return Challenge();
        }

        if (Totp.Normalize(form.Code) is null || !await authenticator.IsEnabledAsync(user))
        {
            return await AgainAsync(user, form, nameof(ReauthenticateForm.Code), "Enter the six-digit code your authenticator app shows now.");
        }

        return await JudgeAsync(user, form, CodeProof, () => authenticator.VerifyAsync(user, form.Code), cancellationToken);
    }

    /// <summary>The challenge for confirming with a passkey (JSON for navigator.credentials.get, called by wwwroot/js/passkeys.js): her passkeys only.</summary>
    [HttpPost(PasskeyPath + "/options")]
    public async Task<IActionResult> PasskeyOptions() =>
        await users.GetUserAsync(User) is { } user ? Content(await signInManager.MakePasskeyRequestOptionsAsync(user), "application/json") : Challenge();

    [HttpPost(PasskeyPath)]
    [EnableRateLimiting(SignInSetup.RateLimitPolicy)]
    [RequestSizeLimit(SignInSetup.MaxSignInBytes)]
    public async Task<IActionResult> WithPasskey([FromForm] PasskeySignInForm form, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(form);
        if (await users.GetUserAsync(User) is not { } user)
        {
            return Challenge();
        }

        PasskeyAssertionResult<IdentityUser>? result = null;
        if (!string.IsNullOrWhiteSpace(form.CredentialJson))
        {
            try
            {
                result = await signInManager.PerformPasskeyAssertionAsync(form.CredentialJson);
            }
            catch (InvalidOperationException)
            {
                // No ceremony under way (its five minutes passed, or none was started from this browser).
            }
        }

        if (result is not { Succeeded: true, User: { } owner, Passkey: { } passkey } || owner.Id != user.Id)
        {
            audit.Add(User.AuditName(), AuditActions.SignInFailed, detail: "passkey not accepted on the confirm page");
            await db.SaveChangesAsync(cancellationToken);
            logger.PasskeySignInFailed();
            return await AgainAsync(user, new ReauthenticateForm { ReturnUrl = form.ReturnUrl }, PasskeyErrorKey, PasskeyFailedMessage);
        }

        // Its new signature count, as at sign-in.
        await users.AddOrUpdatePasskeyAsync(user, passkey);
        return await ConfirmedAsync(user, "passkey", form.ReturnUrl, cancellationToken);
    }

    /// <summary>
    /// A password or a code, counted before it is judged as at sign-in: not judged at all from a locked address or
    /// while the account's brake is on; a wrong one stays recorded as a failure, a right one withdraws it.
    /// </summary>
    private async Task<IActionResult> JudgeAsync(IdentityUser user, ReauthenticateForm form, Proof proof, Func<Task<bool>> isRight, CancellationToken cancellationToken)
    {
        var attempt = await throttle.BeginAttemptAsync(user.Id, SignInThrottle.ClientOf(HttpContext), proof.Kind, cancellationToken);
        if (!attempt.Judged)
        {
            return await AgainAsync(user, form, proof.Field, attempt.State.ClientLocked ? SignInMessages.ClientLocked : proof.BrakeMessage);
        }

        if (!await isRight())
        {
            audit.Add(User.AuditName(), AuditActions.SignInFailed, detail: $"wrong {proof.Method} on the confirm page");
            await db.SaveChangesAsync(cancellationToken);
            if (proof.Kind == SignInFailureKind.Password)
            {
                logger.SignInFailed(user.Id, lockedOut: false);
            }
            else
            {
                logger.SecondFactorFailed(user.Id);
            }

            return await AgainAsync(user, form, proof.Field, proof.WrongMessage);
        }

        await throttle.WithdrawAsync(attempt, cancellationToken);
        return await ConfirmedAsync(user, proof.Method, form.ReturnUrl, cancellationToken);
    }

    private static readonly Proof PasswordProof = new(SignInFailureKind.Password, nameof(ReauthenticateForm.Password), "password", PasswordBrakeMessage, WrongPasswordMessage);
    private static readonly Proof CodeProof = new(SignInFailureKind.Code, nameof(ReauthenticateForm.Code), "authenticator code", CodeBrakeMessage, WrongCodeMessage);

    /// <summary>How one kind of proof is counted, named and answered.</summary>
    private sealed record Proof(SignInFailureKind Kind, string Field, string Method, string BrakeMessage, string WrongMessage);

    /// <summary>Records the proof on the session's row, then back to what she was doing (a path in the admin area only).</summary>
    private async Task<IActionResult> ConfirmedAsync(IdentityUser user, string method, string? returnUrl, CancellationToken cancellationToken)
    {
        if (AdminSessions.CurrentId(HttpContext) is not { } sessionId)
        {
            return Challenge();
        }

        await sessions.RecordProofAsync(sessionId, cancellationToken);
        audit.Add(User.AuditName(), AuditActions.Reauthenticated, detail: method);
        await db.SaveChangesAsync(cancellationToken);
        logger.SecurityChanged(user.Id, AuditActions.Reauthenticated);
        return LocalRedirect(AdminSetup.LocalReturnUrl(Url, returnUrl) ?? AdminSetup.SecurityPath);
    }

    private async Task<ViewResult> AgainAsync(IdentityUser user, ReauthenticateForm form, string field, string message)
    {
        ModelState.AddModelError(field, message);
        Response.StatusCode = StatusCodes.Status400BadRequest;
        return View(nameof(Reauthenticate), await PageAsync(user, form with { Password = null, Code = null, ReturnUrl = AdminSetup.LocalReturnUrl(Url, form.ReturnUrl) }));
    }

    private async Task<ReauthenticatePage> PageAsync(IdentityUser user, ReauthenticateForm form) =>
        new(form, await authenticator.IsEnabledAsync(user), (await users.GetPasskeysAsync(user)).Count > 0);
}
