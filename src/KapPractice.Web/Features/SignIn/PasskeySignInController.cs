using KapPractice.Web.Features.AdminShell;
using KapPractice.Web.Infrastructure.Audit;
using KapPractice.Web.Infrastructure.Data;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.RateLimiting;

namespace KapPractice.Web.Features.SignIn;

/// <summary>"Sign in with a passkey", from the sign-in page (wwwroot/js/passkeys.js asks for the challenge, then posts the answer).</summary>
[Authorize(Policy = AdminSetup.AnySessionPolicy)]
public sealed class PasskeySignInController(
    SignInManager<IdentityUser> signInManager,
    UserManager<IdentityUser> users,
    SignInSteps steps,
    AuditLog audit,
    KapDbContext db,
    ILogger<PasskeySignInController> logger) : Controller
{
    /// <summary>The challenge for "Sign in with a passkey": no account is named, so the answer tells nothing about accounts.</summary>
    [HttpPost(SignInSetup.PasskeyPath + "/options")]
    [AllowAnonymous]
    public async Task<IActionResult> PasskeyRequestOptions() =>
        Content(await signInManager.MakePasskeyRequestOptionsAsync(null), "application/json");

    /// <summary>
    /// A passkey is both factors (something she has, unlocked by something she knows or is): it passes the
    /// brake and the address lock, which count guessable secrets. Identity's PasskeySignInAsync is not used
    /// because it signs in without a server-side session and applies Identity's per-account lockout; its two
    /// steps (the assertion, then storing the new signature count) are.
    /// </summary>
    [HttpPost(SignInSetup.PasskeyPath)]
    [AllowAnonymous]
    [EnableRateLimiting(SignInSetup.RateLimitPolicy)]
    [RequestSizeLimit(SignInSetup.MaxSignInBytes)]
    [RequestFormLimits(ValueCountLimit = 20, KeyLengthLimit = 100, ValueLengthLimit = SignInSetup.MaxSignInBytes, MultipartBodyLengthLimit = SignInSetup.MaxSignInBytes)]
    public async Task<IActionResult> PasskeySignIn([FromForm] PasskeySignInForm form, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(form);
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

        if (result is not { Succeeded: true, User: { } user, Passkey: { } passkey })
        {
            audit.Add(AuditLog.UnknownActor, AuditActions.SignInFailed, detail: "passkey not accepted");
            await db.SaveChangesAsync(cancellationToken);
            logger.PasskeySignInFailed();
            return this.SignInAgain(new SignInForm { ReturnUrl = form.ReturnUrl }, SignInMessages.PasskeyFailed);
        }

        await users.AddOrUpdatePasskeyAsync(user, passkey);
        await steps.CompleteAsync(user, SignInThrottle.ClientOf(HttpContext), SignInMethods.Passkey, enrolmentOnly: false, HttpContext, cancellationToken);
        return this.SignedIn(form.ReturnUrl);
    }
}
