using System.ComponentModel.DataAnnotations;
using KapPractice.Web.Domain;
using KapPractice.Web.Infrastructure.Data;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.RateLimiting;

namespace KapPractice.Web.Features.Admin;

public sealed record SignInForm
{
    [Display(Name = "Email")]
    public string? Email { get; init; }

    [Display(Name = "Password")]
    public string? Password { get; init; }

    public string? ReturnUrl { get; init; }
}

/// <summary>Signing the practitioner in and out of the admin area.</summary>
[Authorize(Policy = AdminSetup.AdminPolicy)]
public sealed class AccountController(
    SignInManager<IdentityUser> signInManager,
    UserManager<IdentityUser> users,
    IPasswordHasher<IdentityUser> passwordHasher,
    AuditLog audit,
    KapDbContext db,
    ILogger<AccountController> logger) : Controller
{
    public const string FailedMessage = "That email and password do not match an account, or the account is locked for a while after repeated failed attempts.";

    /// <summary>Longer than any password manager makes; a longer one is refused before it is hashed.</summary>
    public const int PasswordMaxLength = 1000;

    /// <summary>An email, a password, a return path and the token fit many times over; anything bigger is refused (413 or 400) before it is read.</summary>
    public const int MaxSignInBytes = 16 * 1024;

    private static readonly IdentityUser NoSuchUser = new() { UserName = "no-such-account" };
    private static string? _decoyHash;

    [HttpGet(AdminSetup.SignInPath)]
    [AllowAnonymous]
    public IActionResult SignIn([FromQuery(Name = "ReturnUrl")] string? returnUrl) =>
        View(new SignInForm { ReturnUrl = SafeReturnUrl(returnUrl) });

    [HttpPost(AdminSetup.SignInPath)]
    [AllowAnonymous]
    [EnableRateLimiting(AdminSetup.SignInRateLimitPolicy)]
    [RequestSizeLimit(MaxSignInBytes)]
    [RequestFormLimits(ValueCountLimit = 20, KeyLengthLimit = 100, ValueLengthLimit = MaxSignInBytes, MultipartBodyLengthLimit = MaxSignInBytes)]
    public async Task<IActionResult> SignIn([FromForm] SignInForm form, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(form);
        var email = form.Email?.Trim();
        if (string.IsNullOrEmpty(email) || string.IsNullOrEmpty(form.Password) || email.Length > TextLimits.AccountName || form.Password.Length > PasswordMaxLength)
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
            ModelState.AddModelError(string.Empty, FailedMessage);
            return SignInAgain(form);
        }

        // Identity answers a locked account before hashing anything; hash anyway so it takes as long as a wrong password.
        if (await users.IsLockedOutAsync(user))
        {
            VerifyDecoyPassword(form.Password);
        }

        var result = await signInManager.PasswordSignInAsync(user, form.Password, isPersistent: false, lockoutOnFailure: true);
        var actor = user.Email ?? user.Id;
        if (result.Succeeded)
        {
            audit.Add(actor, AuditActions.SignedIn);
            await db.SaveChangesAsync(cancellationToken);
            logger.SignedIn(user.Id);
            return LocalRedirect(SafeReturnUrl(form.ReturnUrl) ?? Url.Action(nameof(AdminController.Index), "Admin")!);
        }

        audit.Add(actor, result.IsLockedOut ? AuditActions.LockedOut : AuditActions.SignInFailed, detail: result.IsLockedOut ? "account locked" : "wrong password");
        await db.SaveChangesAsync(cancellationToken);
        logger.SignInFailed(user.Id, result.IsLockedOut);
        ModelState.AddModelError(string.Empty, FailedMessage);
        return SignInAgain(form);
    }

    [HttpPost(AdminSetup.SignOutPath)]
    public async Task<IActionResult> SignOutOfAdmin(CancellationToken cancellationToken)
    {
        audit.Add(User.Identity?.Name ?? AuditLog.UnknownActor, AuditActions.SignedOut);
        await db.SaveChangesAsync(cancellationToken);
        await signInManager.SignOutAsync();
        return RedirectToAction(nameof(SignIn), new { signedOut = 1 });
    }

    /// <summary>
    /// The same PBKDF2 work as checking a real account's password, so the response time does not tell
    /// whether an address has an account. The decoy hash is made once, with the app's own hasher options.
    /// </summary>
    private void VerifyDecoyPassword(string password)
    {
        var decoy = LazyInitializer.EnsureInitialized(ref _decoyHash, () => passwordHasher.HashPassword(NoSuchUser, Guid.NewGuid().ToString("N")));
        _ = passwordHasher.VerifyHashedPassword(NoSuchUser, decoy, password);
    }

    private ViewResult SignInAgain(SignInForm form)
    {
        Response.StatusCode = StatusCodes.Status400BadRequest;
        return View(nameof(SignIn), form with { Password = null, ReturnUrl = SafeReturnUrl(form.ReturnUrl) });
    }

    /// <summary>Only a path inside the admin area: never another site, never a public page.</summary>
    private string? SafeReturnUrl(string? returnUrl) =>
        !string.IsNullOrEmpty(returnUrl) && Url.IsLocalUrl(returnUrl) && returnUrl.StartsWith(AdminSetup.PathPrefix, StringComparison.OrdinalIgnoreCase)
            && !returnUrl.StartsWith(AdminSetup.SignInPath, StringComparison.OrdinalIgnoreCase)
            ? returnUrl
            : null;
}
