using System.Security.Claims;
using KapPractice.Web.Domain;
using KapPractice.Web.Features.AdminShell;
using KapPractice.Web.Infrastructure.Audit;
using KapPractice.Web.Infrastructure.Data;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;

namespace KapPractice.Web.Features.SignIn;

/// <summary>
/// The sign-in form: email and password, and an optional code. With an authenticator and no code on the form, the
/// code follows on its own page (SignInCodeController); a passkey signs in on its own (PasskeySignInController).
/// Each save here is explicit: the attempt is counted and committed (SignInThrottle) before the password is judged.
/// </summary>
[Authorize(Policy = AdminSetup.AnySessionPolicy)]
public sealed class SignInController(
    UserManager<IdentityUser> users,
    SignInSteps steps,
    SignInThrottle throttle,
    Authenticator authenticator,
    IOptions<AdminOptions> options,
    AuditLog audit,
    KapDbContext db,
    ILogger<SignInController> logger) : Controller
{
    [HttpGet(AdminSetup.SignInPath)]
    [AllowAnonymous]
    public IActionResult SignIn([FromQuery(Name = "ReturnUrl")] string? returnUrl) =>
        View(new SignInPage(new SignInForm { ReturnUrl = AdminSetup.LocalReturnUrl(Url, returnUrl) }));

    [HttpPost(AdminSetup.SignInPath)]
    [AllowAnonymous]
    [EnableRateLimiting(SignInSetup.RateLimitPolicy)]
    [RequestSizeLimit(SignInSetup.MaxSignInBytes)]
    [RequestFormLimits(ValueCountLimit = 20, KeyLengthLimit = 100, ValueLengthLimit = SignInSetup.MaxSignInBytes, MultipartBodyLengthLimit = SignInSetup.MaxSignInBytes)]
    public async Task<IActionResult> SignIn([FromForm] SignInForm form, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(form);
        var email = form.Email?.Trim();
        if (string.IsNullOrEmpty(email) || string.IsNullOrEmpty(form.Password) || email.Length > TextLimits.AccountName || form.Password.Length > SignInSetup.PasswordMaxLength || form.Code?.Length > SignInSetup.CodeMaxLength)
        {
            if (string.IsNullOrEmpty(email))
            {
                ModelState.AddModelError(nameof(SignInForm.Email), "Enter your email address.");
            }

            if (string.IsNullOrEmpty(form.Password))
            {
                ModelState.AddModelError(nameof(SignInForm.Password), "Enter your password.");
            }

            if (ModelState.ErrorCount == 0)
            {
                ModelState.AddModelError(string.Empty, SignInMessages.Failed);
            }

            return this.SignInAgain(form);
        }

        var user = await users.FindByEmailAsync(email);
        if (user is null)
        {
            steps.VerifyDecoyPassword(form.Password);
            // Whatever was typed is not stored: it may be a mistyped password or someone else's address.
            audit.Add(AuditLog.UnknownActor, AuditActions.SignInFailed, detail: "no such account");
            await db.SaveChangesAsync(cancellationToken);
            logger.SignInUnknownAccount();
            return this.SignInAgain(form, SignInMessages.Failed);
        }

        var client = SignInThrottle.ClientOf(HttpContext);
        // Counted before it is checked, so passwords sent together are judged against each other's failures.
        var attempt = await throttle.BeginAttemptAsync(user.Id, client, SignInFailureKind.Password, cancellationToken);
        var state = attempt.State;
        // Always hashed, whatever follows, so the response time tells nothing about the lock or the brake.
        var passwordIsRight = await users.CheckPasswordAsync(user, form.Password);
        var actor = SignInSteps.Actor(user);

        if (state.ClientLocked)
        {
            audit.Add(actor, AuditActions.LockedOut, detail: "this address is locked out of the account for a while");
            await db.SaveChangesAsync(cancellationToken);
            logger.SignInRefused(user.Id, "address locked");
            return this.SignInAgain(form, SignInMessages.Failed);
        }

        if (state.PasswordBrake)
        {
            return await BrakedSignInAsync(user, form, client, passwordIsRight, state, cancellationToken);
        }

        if (!passwordIsRight)
        {
            // The failure was recorded with the attempt.
            var lockedNow = state.ClientFailures + 1 >= options.Value.MaxFailedAttempts;
            audit.Add(actor, lockedNow ? AuditActions.LockedOut : AuditActions.SignInFailed,
                detail: lockedNow ? "wrong password; this address is now locked out of the account for a while" : "wrong password");
            await db.SaveChangesAsync(cancellationToken);
            logger.SignInFailed(user.Id, lockedNow);
            return this.SignInAgain(form, SignInMessages.Failed);
        }

        await throttle.WithdrawAsync(attempt, cancellationToken);
        if (await authenticator.IsEnabledAsync(user))
        {
            if (!string.IsNullOrWhiteSpace(form.Code))
            {
                return (await steps.SecondFactorAsync(user, form.Code, client, HttpContext, cancellationToken)).SignedIn
                    ? this.SignedIn(form.ReturnUrl)
                    : this.SignInAgain(form, SignInMessages.WrongCode, codeError: true);
            }

            if (state.CodeBrake)
            {
                audit.Add(actor, AuditActions.SignInFailed, detail: "codes refused for a while after many wrong ones");
                await db.SaveChangesAsync(cancellationToken);
                logger.SignInRefused(user.Id, "code brake");
                return this.SignInAgain(form, SignInMessages.CodeBrake);
            }

            // Identity's two-factor cookie remembers who passed the password, for five minutes, until the code.
            var pending = new ClaimsIdentity(IdentityConstants.TwoFactorUserIdScheme);
            pending.AddClaim(new Claim(ClaimTypes.Name, user.Id));
            await HttpContext.SignInAsync(IdentityConstants.TwoFactorUserIdScheme, new ClaimsPrincipal(pending));
            return Redirect(SignInSetup.CodePath + (AdminSetup.LocalReturnUrl(Url, form.ReturnUrl) is { } back ? "?ReturnUrl=" + Uri.EscapeDataString(back) : string.Empty));
        }

        var hasPasskey = (await users.GetPasskeysAsync(user)).Count > 0;
        if (options.Value.RequireTwoFactor && hasPasskey)
        {
            audit.Add(actor, AuditActions.SignInFailed, detail: "password without the passkey this account needs");
            await db.SaveChangesAsync(cancellationToken);
            return this.SignInAgain(form, SignInMessages.PasskeyNeeded);
        }

        var toEnrol = options.Value.RequireTwoFactor;
        await steps.CompleteAsync(user, client, toEnrol ? SignInMethods.PasswordOnlyToEnrol : SignInMethods.Password, toEnrol, HttpContext, cancellationToken);
        return toEnrol ? Redirect(AdminSetup.EnrolPath) : this.SignedIn(form.ReturnUrl);
    }

    /// <summary>
    /// While the brake is on, a password alone is not judged: right or wrong, with or without a good code, the
    /// answer is the one a wrong password or an unknown address gets, so guesses from any number of addresses
    /// learn nothing, not even that the account exists. With a right password and a good code she is in.
    /// </summary>
    private async Task<IActionResult> BrakedSignInAsync(IdentityUser user, SignInForm form, string client, bool passwordIsRight, ThrottleState state, CancellationToken cancellationToken)
    {
        if (passwordIsRight && !string.IsNullOrWhiteSpace(form.Code) && !state.CodeBrake && await authenticator.IsEnabledAsync(user))
        {
            return (await steps.SecondFactorAsync(user, form.Code, client, HttpContext, cancellationToken)).SignedIn
                ? this.SignedIn(form.ReturnUrl)
                : this.SignInAgain(form, SignInMessages.Failed);
        }

        if (!passwordIsRight)
        {
            await throttle.RecordFailureAsync(user.Id, client, SignInFailureKind.Password, cancellationToken);
        }

        audit.Add(SignInSteps.Actor(user), AuditActions.SignInFailed, detail: passwordIsRight ? "account brake on: a password alone is not enough" : "wrong password (account brake on)");
        await db.SaveChangesAsync(cancellationToken);
        logger.SignInRefused(user.Id, "account brake");
        return this.SignInAgain(form, SignInMessages.Failed);
    }
}
