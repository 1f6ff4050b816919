using KapPractice.Web.Features.AdminShell;
using KapPractice.Web.Features.InquiryReview;
using KapPractice.Web.Infrastructure.Audit;
using System.ComponentModel.DataAnnotations;
using KapPractice.Web.Domain;
using System.Security.Claims;
using KapPractice.Web.Infrastructure.Data;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace KapPractice.Web.Features.Admin;

public sealed record SignInForm
{
    [Display(Name = "Email")]
    public string? Email { get; init; }

    [Display(Name = "Password")]
    public string? Password { get; init; }

    /// <summary>Optional, always offered: needed on this form only while the account-wide brake is on (the page never says when).</summary>
    [Display(Name = "Authenticator code or recovery code")]
    public string? Code { get; init; }

    public string? ReturnUrl { get; init; }
}

/// <param name="CodeError">The message is about the code typed on the form, so the error summary leads to that field.</param>
public sealed record SignInPage(SignInForm Form, bool CodeError = false);

public sealed record SignInCodeForm
{
    [Display(Name = "Authenticator code or recovery code")]
    public string? Code { get; init; }

    public string? ReturnUrl { get; init; }
}

public sealed record PasskeySignInForm
{
    public string? CredentialJson { get; init; }

    public string? ReturnUrl { get; init; }
}

/// <summary>
/// Signing the practitioner in (password, then an authenticator code or a recovery code; or a passkey)
/// and out. Every complete sign-in starts a server-side session (AdminSessions); signing out ends it.
/// </summary>
[Authorize(Policy = AdminSetup.AnySessionPolicy)]
public sealed class AccountController(
    SignInManager<IdentityUser> signInManager,
    UserManager<IdentityUser> users,
    IPasswordHasher<IdentityUser> passwordHasher,
    AdminSessions sessions,
    SignInThrottle throttle,
    Authenticator authenticator,
    IOptions<AdminOptions> options,
    AuditLog audit,
    KapDbContext db,
    ILogger<AccountController> logger) : Controller
{
    /// <summary>
    /// The one answer to a wrong password, an unknown address, a locked address and a password alone while the
    /// account-wide brake is on, so the answer never tells whether an address has an account.
    /// </summary>
    public const string FailedMessage = "That email and password do not match an account, or sign-ins are held back for a while after repeated failed attempts. If you have an authenticator app, try again with its code in the code field too, or sign in with a passkey.";
    public const string WrongCodeMessage = "That code is not right, or it was already used. Enter the current code from your authenticator app, or one of your unused recovery codes.";
    public const string CodeBrakeMessage = "Too many wrong codes were entered for this account, so codes are refused for a while. Sign in with a passkey, or try again later.";
    public const string ClientLockedMessage = "Too many failed attempts from this address: try again in a while.";
    public const string PasskeyNeededMessage = "This account's second factor is a passkey: use “Sign in with a passkey”.";
    public const string PasskeyFailedMessage = "That passkey was not accepted. Try again, or sign in with your password.";
    public const string PendingExpiredMessage = "That took too long, or the sign-in was not started here: enter your email and password again.";
    public const string CodePath = AdminSetup.SignInPath + "/code";
    public const string PasskeySignInPath = AdminSetup.SignInPath + "/passkey";

    /// <summary>Longer than any password manager makes; a longer one is refused before it is hashed.</summary>
    public const int PasswordMaxLength = 1000;

    /// <summary>A six-digit code or a recovery code fits many times over; anything longer is refused unread.</summary>
    public const int CodeMaxLength = 100;

    /// <summary>An email, a password, a return path and the token fit many times over; anything bigger is refused (413 or 400) before it is read.</summary>
    public const int MaxSignInBytes = 16 * 1024;

    private static readonly IdentityUser NoSuchUser = new() { UserName = "no-such-account" };
    private static string? _decoyHash;

    [HttpGet(AdminSetup.SignInPath)]
    [AllowAnonymous]
    public IActionResult SignIn([FromQuery(Name = "ReturnUrl")] string? returnUrl) =>
        View(new SignInPage(new SignInForm { ReturnUrl = SafeReturnUrl(returnUrl) }));

    [HttpPost(AdminSetup.SignInPath)]
    [AllowAnonymous]
    [EnableRateLimiting(AdminSetup.SignInRateLimitPolicy)]
    [RequestSizeLimit(MaxSignInBytes)]
    [RequestFormLimits(ValueCountLimit = 20, KeyLengthLimit = 100, ValueLengthLimit = MaxSignInBytes, MultipartBodyLengthLimit = MaxSignInBytes)]
    public async Task<IActionResult> SignIn([FromForm] SignInForm form, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(form);
        var email = form.Email?.Trim();
        if (string.IsNullOrEmpty(email) || string.IsNullOrEmpty(form.Password) || email.Length > TextLimits.AccountName || form.Password.Length > PasswordMaxLength || form.Code?.Length > CodeMaxLength)
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
                ModelState.AddModelError(string.Empty, FailedMessage);
            }

            return SignInAgain(form);
        }

        var user = await users.FindByEmailAsync(email);
        if (user is null)
        {
            VerifyDecoyPassword(form.Password);
            // Whatever was typed is not stored: it may be a mistyped password or someone else's address.
            audit.Add(AuditLog.UnknownActor, AuditActions.SignInFailed, detail: "no such account");
            await db.SaveChangesAsync(cancellationToken);
            logger.SignInUnknownAccount();
            return SignInAgain(form, FailedMessage);
        }

        var client = SignInThrottle.ClientOf(HttpContext);
        // Counted before it is checked, so passwords sent together are judged against each other's failures.
        var attempt = await throttle.BeginAttemptAsync(user.Id, client, SignInFailureKind.Password, cancellationToken);
        var state = attempt.State;
        // Always hashed, whatever follows, so the response time tells nothing about the lock or the brake.
        var passwordIsRight = await users.CheckPasswordAsync(user, form.Password);
        var actor = Actor(user);

        if (state.ClientLocked)
        {
            audit.Add(actor, AuditActions.LockedOut, detail: "this address is locked out of the account for a while");
            await db.SaveChangesAsync(cancellationToken);
            logger.SignInRefused(user.Id, "address locked");
            return SignInAgain(form, FailedMessage);
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
            return SignInAgain(form, FailedMessage);
        }

        await throttle.WithdrawAsync(attempt, cancellationToken);
        if (await authenticator.IsEnabledAsync(user))
        {
            if (!string.IsNullOrWhiteSpace(form.Code))
            {
                return await SecondFactorAsync(user, form.Code, client, form.ReturnUrl, _ => SignInAgain(form, WrongCodeMessage, codeError: true), cancellationToken);
            }

            if (state.CodeBrake)
            {
                audit.Add(actor, AuditActions.SignInFailed, detail: "codes refused for a while after many wrong ones");
                await db.SaveChangesAsync(cancellationToken);
                logger.SignInRefused(user.Id, "code brake");
                return SignInAgain(form, CodeBrakeMessage);
            }

            // Identity's two-factor cookie remembers who passed the password, for five minutes, until the code.
            var pending = new ClaimsIdentity(IdentityConstants.TwoFactorUserIdScheme);
            pending.AddClaim(new Claim(ClaimTypes.Name, user.Id));
            await HttpContext.SignInAsync(IdentityConstants.TwoFactorUserIdScheme, new ClaimsPrincipal(pending));
            return Redirect(CodePath + (SafeReturnUrl(form.ReturnUrl) is { } back ? "?ReturnUrl=" + Uri.EscapeDataString(back) : string.Empty));
        }

        var hasPasskey = (await users.GetPasskeysAsync(user)).Count > 0;
        if (options.Value.RequireTwoFactor && hasPasskey)
        {
            audit.Add(actor, AuditActions.SignInFailed, detail: "password without the passkey this account needs");
            await db.SaveChangesAsync(cancellationToken);
            return SignInAgain(form, PasskeyNeededMessage);
        }

        var toEnrol = options.Value.RequireTwoFactor;
        await CompleteSignInAsync(user, client, toEnrol ? SignInMethods.PasswordOnlyToEnrol : SignInMethods.Password, toEnrol, cancellationToken);
        return toEnrol ? Redirect(AdminSetup.EnrolPath) : LocalRedirect(SafeReturnUrl(form.ReturnUrl) ?? Url.Action(nameof(InquiryListController.Index), InquiryListController.Name)!);
    }

    [HttpGet(CodePath)]
    [AllowAnonymous]
    public async Task<IActionResult> SignInCode([FromQuery(Name = "ReturnUrl")] string? returnUrl) =>
        await PendingUserAsync() is null
            ? Redirect(AdminSetup.SignInPath)
            : View(new SignInCodeForm { ReturnUrl = SafeReturnUrl(returnUrl) });

    [HttpPost(CodePath)]
    [AllowAnonymous]
    [EnableRateLimiting(AdminSetup.SignInRateLimitPolicy)]
    [RequestSizeLimit(MaxSignInBytes)]
    [RequestFormLimits(ValueCountLimit = 20, KeyLengthLimit = 100, ValueLengthLimit = MaxSignInBytes, MultipartBodyLengthLimit = MaxSignInBytes)]
    public async Task<IActionResult> SignInCode([FromForm] SignInCodeForm form, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(form);
        var user = await PendingUserAsync();
        if (user is null)
        {
            return SignInAgain(new SignInForm { ReturnUrl = form.ReturnUrl }, PendingExpiredMessage);
        }

        if (string.IsNullOrWhiteSpace(form.Code) || form.Code.Length > CodeMaxLength)
        {
            ModelState.AddModelError(nameof(SignInCodeForm.Code), "Enter the code from your authenticator app, or a recovery code.");
            return CodeAgain(form);
        }

        return await SecondFactorAsync(user, form.Code, SignInThrottle.ClientOf(HttpContext), form.ReturnUrl, state =>
        {
            ModelState.AddModelError(nameof(SignInCodeForm.Code), state.ClientLocked ? ClientLockedMessage : state.CodeBrake ? CodeBrakeMessage : WrongCodeMessage);
            return CodeAgain(form);
        }, cancellationToken);
    }

    /// <summary>The challenge for "Sign in with a passkey": no account is named, so the answer tells nothing about accounts.</summary>
    [HttpPost(PasskeySignInPath + "/options")]
    [AllowAnonymous]
    public async Task<IActionResult> PasskeyRequestOptions() =>
        Content(await signInManager.MakePasskeyRequestOptionsAsync(null), "application/json");

    /// <summary>
    /// A passkey is both factors (something she has, unlocked by something she knows or is): it passes the
    /// brake and the address lock, which count guessable secrets. Identity's PasskeySignInAsync is not used
    /// because it signs in without a server-side session and applies Identity's per-account lockout; its two
    /// steps (the assertion, then storing the new signature count) are.
    /// </summary>
    [HttpPost(PasskeySignInPath)]
    [AllowAnonymous]
    [EnableRateLimiting(AdminSetup.SignInRateLimitPolicy)]
    [RequestSizeLimit(MaxSignInBytes)]
    [RequestFormLimits(ValueCountLimit = 20, KeyLengthLimit = 100, ValueLengthLimit = MaxSignInBytes, MultipartBodyLengthLimit = MaxSignInBytes)]
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
            return SignInAgain(new SignInForm { ReturnUrl = form.ReturnUrl }, PasskeyFailedMessage);
        }

        await users.AddOrUpdatePasskeyAsync(user, passkey);
        await CompleteSignInAsync(user, SignInThrottle.ClientOf(HttpContext), SignInMethods.Passkey, enrolmentOnly: false, cancellationToken);
        return LocalRedirect(SafeReturnUrl(form.ReturnUrl) ?? Url.Action(nameof(InquiryListController.Index), InquiryListController.Name)!);
    }

    [HttpPost(AdminSetup.SignOutPath)]
    public async Task<IActionResult> SignOutOfAdmin(CancellationToken cancellationToken)
    {
        if (AdminSessions.CurrentId(HttpContext) is { } sessionId && User.FindFirstValue(ClaimTypes.NameIdentifier) is { } userId)
        {
            await sessions.EndAsync(userId, sessionId, SessionEndReasons.SignedOut, cancellationToken);
        }

        audit.Add(User.Identity?.Name ?? AuditLog.UnknownActor, AuditActions.SignedOut);
        await db.SaveChangesAsync(cancellationToken);
        await signInManager.SignOutAsync();
        return RedirectToAction(nameof(SignIn), new { signedOut = 1 });
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
            return await SecondFactorAsync(user, form.Code, client, form.ReturnUrl, _ => SignInAgain(form, FailedMessage), cancellationToken);
        }

        if (!passwordIsRight)
        {
            await throttle.RecordFailureAsync(user.Id, client, SignInFailureKind.Password, cancellationToken);
        }

        audit.Add(Actor(user), AuditActions.SignInFailed, detail: passwordIsRight ? "account brake on: a password alone is not enough" : "wrong password (account brake on)");
        await db.SaveChangesAsync(cancellationToken);
        logger.SignInRefused(user.Id, "account brake");
        return SignInAgain(form, FailedMessage);
    }

    /// <summary>
    /// Checks an authenticator code or, failing the code's shape, a recovery code; signs in or counts a failure. Like a
    /// password, the code is counted before it is checked (SignInThrottle.BeginAttemptAsync), so codes sent together
    /// cannot all slip under the code brake.
    /// </summary>
    private async Task<IActionResult> SecondFactorAsync(IdentityUser user, string code, string client, string? returnUrl, Func<ThrottleState, IActionResult> failed, CancellationToken cancellationToken)
    {
        var actor = Actor(user);
        var attempt = await throttle.BeginAttemptAsync(user.Id, client, SignInFailureKind.Code, cancellationToken);
        if (!attempt.Judged)
        {
            var locked = attempt.State.ClientLocked;
            audit.Add(actor, locked ? AuditActions.LockedOut : AuditActions.SignInFailed,
                detail: locked ? "this address is locked out of the account for a while" : "codes refused for a while after many wrong ones");
            await db.SaveChangesAsync(cancellationToken);
            logger.SignInRefused(user.Id, locked ? "address locked" : "code brake");
            return failed(attempt.State);
        }

        try
        {
            string? method = null;
            if (Totp.Normalize(code) is not null)
            {
                method = await authenticator.VerifyAsync(user, code) ? SignInMethods.PasswordAndCode : null;
            }
            else if (await authenticator.RedeemRecoveryCodeAsync(user, code) is { } left)
            {
                method = SignInMethods.PasswordAndRecoveryCode;
                audit.Add(actor, AuditActions.RecoveryCodeUsed, detail: $"{left} left");
            }

            if (method is not null)
            {
                await throttle.WithdrawAsync(attempt, cancellationToken);
                await CompleteSignInAsync(user, client, method, enrolmentOnly: false, cancellationToken);
                return LocalRedirect(SafeReturnUrl(returnUrl) ?? Url.Action(nameof(InquiryListController.Index), InquiryListController.Name)!);
            }
        }
        catch (DbUpdateConcurrencyException)
        {
            // Another request changed the account meanwhile (the same code sent twice at once): a used code.
            db.ChangeTracker.Clear();
        }

        // The failure was recorded with the attempt.
        audit.Add(actor, AuditActions.SignInFailed, detail: "wrong or used code");
        await db.SaveChangesAsync(cancellationToken);
        logger.SecondFactorFailed(user.Id);
        return failed(attempt.State);
    }

    private async Task CompleteSignInAsync(IdentityUser user, string client, string method, bool enrolmentOnly, CancellationToken cancellationToken)
    {
        await authenticator.HashCodesStoredInClearAsync(user);
        await throttle.ForgiveClientAsync(user.Id, client, cancellationToken);
        audit.Add(Actor(user), AuditActions.SignedIn, detail: method);
        await sessions.SignInAsync(user, method, enrolmentOnly, HttpContext, cancellationToken);
        logger.SignedIn(user.Id);
    }

    private async Task<IdentityUser?> PendingUserAsync()
    {
        var pending = await HttpContext.AuthenticateAsync(IdentityConstants.TwoFactorUserIdScheme);
        return pending.Principal?.FindFirstValue(ClaimTypes.Name) is { } userId ? await users.FindByIdAsync(userId) : null;
    }

    private static string Actor(IdentityUser user) => user.Email ?? user.Id;

    /// <summary>
    /// The same PBKDF2 work as checking a real account's password, so the response time does not tell
    /// whether an address has an account. The decoy hash is made once, with the app's own hasher options.
    /// </summary>
    private void VerifyDecoyPassword(string password)
    {
        var decoy = LazyInitializer.EnsureInitialized(ref _decoyHash, () => passwordHasher.HashPassword(NoSuchUser, Guid.NewGuid().ToString("N")));
        _ = passwordHasher.VerifyHashedPassword(NoSuchUser, decoy, password);
    }

    private ViewResult SignInAgain(SignInForm form, string? message = null, bool codeError = false)
    {
        if (message is not null)
        {
            ModelState.AddModelError(string.Empty, message);
        }

        Response.StatusCode = StatusCodes.Status400BadRequest;
        return View(nameof(SignIn), new SignInPage(form with { Password = null, Code = null, ReturnUrl = SafeReturnUrl(form.ReturnUrl) }, codeError));
    }

    private ViewResult CodeAgain(SignInCodeForm form)
    {
        Response.StatusCode = StatusCodes.Status400BadRequest;
        return View(nameof(SignInCode), form with { Code = null, ReturnUrl = SafeReturnUrl(form.ReturnUrl) });
    }

    private string? SafeReturnUrl(string? returnUrl) => AdminSetup.LocalReturnUrl(Url, returnUrl);
}
