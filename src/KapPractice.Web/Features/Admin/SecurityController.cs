using KapPractice.Web.Domain;
using KapPractice.Web.Features.AdminShell;
using KapPractice.Web.Infrastructure.Audit;
using System.ComponentModel.DataAnnotations;
using System.Security.Claims;
using KapPractice.Web.Infrastructure;
using KapPractice.Web.Infrastructure.Data;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Filters;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Options;

namespace KapPractice.Web.Features.Admin;

public sealed record PasskeyRow(string Id, string Name, DateTimeOffset Added);

public sealed record SecurityPage(
    bool EnrolmentOnly,
    bool RequireTwoFactor,
    bool AuthenticatorOn,
    int RecoveryCodesLeft,
    IReadOnlyList<PasskeyRow> Passkeys,
    IReadOnlyList<AdminSession> Sessions,
    string? CurrentSessionId)
{
    public bool FewRecoveryCodesLeft => AuthenticatorOn && RecoveryCodesLeft <= Authenticator.FewRecoveryCodes;
}

/// <param name="Replacing">An authenticator is already set up: confirming moves the account to the new one.</param>
public sealed record AuthenticatorPage(AuthenticatorSetup Setup, bool Replacing, bool EnrolmentOnly);

/// <param name="Enrolled">Shown right after the authenticator was set up (rather than after asking for new codes).</param>
public sealed record RecoveryCodesPage(IReadOnlyList<string> Codes, bool Enrolled);

public sealed record ChangePasswordForm
{
    [Display(Name = "Current password")]
    public string? CurrentPassword { get; init; }

    [Display(Name = "New password")]
    public string? NewPassword { get; init; }

    [Display(Name = "New password again")]
    public string? ConfirmPassword { get; init; }
}

/// <summary>
/// The practitioner's Security page: the authenticator app and its recovery codes, passkeys, the password
/// and the signed-in sessions. A session signed in with the password only, to enrol a second factor, may
/// only enrol (see <see cref="EnrolmentActions"/>) and only while the account has no second factor:
/// anything else ends it, so a password alone can never mint or change a factor. Whatever changes a factor, the
/// recovery codes or every session needs a recent password or code too (<see cref="RequireRecentProofAttribute"/>).
/// </summary>
[Authorize(Policy = AdminSetup.AnySessionPolicy)]
public sealed class SecurityController(
    UserManager<IdentityUser> users,
    SignInManager<IdentityUser> signInManager,
    Authenticator authenticator,
    AdminSessions sessions,
    SignInThrottle throttle,
    IOptions<AdminOptions> options,
    AuditLog audit,
    KapDbContext db,
    PracticeClock clock,
    ILogger<SecurityController> logger) : Controller
{
    public const int MaxPasskeys = 10;
    public const int PasskeyNameMaxLength = 50;
    public const string KeepOneFactorMessage = "Your account must keep a second factor (Admin:RequireTwoFactor is on): set up the other kind first, then remove this one.";
    public const string PasswordBrakeMessage = "Passwords are not accepted for a while after many failed attempts on this account. Try again later.";
    public const string PasskeyNotAddedMessage = "The passkey was not added: your browser or device did not complete it. Try again; if it keeps failing, this browser may not support passkeys.";

    private const string AuthenticatorView = "Authenticator";

    /// <summary>What a session opened only to enrol may do: see the page, set up the authenticator, add a passkey (signing out is AccountController's).</summary>
    private static readonly HashSet<string> EnrolmentActions =
        [nameof(Security), nameof(SetUpAuthenticator), nameof(ConfirmAuthenticator), nameof(PasskeyCreationOptions), nameof(AddPasskey)];

    private string Actor => User.Identity?.Name ?? AuditLog.UnknownActor;

    private string? CurrentSessionId => AdminSessions.CurrentId(HttpContext);

    private bool EnrolmentOnly => HttpContext.Features.Get<AdminSessionFeature>()?.EnrolmentOnly == true;

    public override async Task OnActionExecutionAsync(ActionExecutingContext context, ActionExecutionDelegate next)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(next);
        if (EnrolmentOnly && !(EnrolmentActions.Contains(context.ActionDescriptor.RouteValues["action"] ?? string.Empty)
            && await CurrentUserAsync() is { } user && !await HasSecondFactorAsync(user)))
        {
            context.Result = await EndEnrolmentSessionAsync(context.HttpContext.RequestAborted);
            return;
        }

        await next();
    }

    [HttpGet(AdminSetup.SecurityPath)]
    public async Task<IActionResult> Security(CancellationToken cancellationToken) =>
        await CurrentUserAsync() is { } user ? View(await PageAsync(user, cancellationToken)) : Challenge();

    [HttpGet(AdminSetup.EnrolPath)]
    [RequireRecentProof]
    public async Task<IActionResult> SetUpAuthenticator()
    {
        if (await CurrentUserAsync() is not { } user)
        {
            return Challenge();
        }

        return View(AuthenticatorView, new AuthenticatorPage(await authenticator.PendingSetupAsync(user), await authenticator.IsEnabledAsync(user), EnrolmentOnly));
    }

    [HttpPost(AdminSetup.EnrolPath)]
    [RequireRecentProof(ReturnTo = AdminSetup.EnrolPath)]
    public async Task<IActionResult> ConfirmAuthenticator([FromForm] string? code, CancellationToken cancellationToken)
    {
        if (await CurrentUserAsync() is not { } user)
        {
            return Challenge();
        }

        var replacing = await authenticator.IsEnabledAsync(user);
        var codes = code?.Length <= 100 ? await authenticator.ConfirmPendingAsync(user, code) : null;
        if (codes is null)
        {
            ModelState.AddModelError("code", "That code does not match. Enter the six-digit code your authenticator app shows now for this account.");
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return View(AuthenticatorView, new AuthenticatorPage(await authenticator.PendingSetupAsync(user), replacing, EnrolmentOnly));
        }

        audit.Add(Actor, AuditActions.SecondFactorEnrolled, detail: replacing ? "authenticator app (replacing the previous one)" : "authenticator app");
        await SecondFactorAddedAsync(user, cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
        logger.SecurityChanged(user.Id, AuditActions.SecondFactorEnrolled);
        return View("RecoveryCodes", new RecoveryCodesPage(codes, Enrolled: true));
    }

    [HttpPost(AdminSetup.EnrolPath + "/remove")]
    [RequireRecentProof]
    public async Task<IActionResult> RemoveAuthenticator(CancellationToken cancellationToken)
    {
        if (await CurrentUserAsync() is not { } user)
        {
            return Challenge();
        }

        if (!await authenticator.IsEnabledAsync(user))
        {
            return RedirectToSecurity("The authenticator app was already off.");
        }

        if (options.Value.RequireTwoFactor && (await users.GetPasskeysAsync(user)).Count == 0)
        {
            return await SecurityAgainAsync(user, KeepOneFactorMessage, cancellationToken);
        }

        await authenticator.RemoveAsync(user);
        audit.Add(Actor, AuditActions.SecondFactorRemoved, detail: "authenticator app and its recovery codes");
        await db.SaveChangesAsync(cancellationToken);
        logger.SecurityChanged(user.Id, AuditActions.SecondFactorRemoved);
        return RedirectToSecurity("The authenticator app is removed: its codes and your recovery codes no longer work.");
    }

    [HttpPost(AdminSetup.SecurityPath + "/recovery-codes")]
    [RequireRecentProof]
    public async Task<IActionResult> NewRecoveryCodes(CancellationToken cancellationToken)
    {
        if (await CurrentUserAsync() is not { } user)
        {
            return Challenge();
        }

        if (!await authenticator.IsEnabledAsync(user))
        {
            return await SecurityAgainAsync(user, "Recovery codes come with the authenticator app: set that up first.", cancellationToken);
        }

        var codes = await authenticator.NewRecoveryCodesAsync(user);
        audit.Add(Actor, AuditActions.RecoveryCodesRenewed, detail: $"{codes.Count} new codes; the old ones no longer work");
        await db.SaveChangesAsync(cancellationToken);
        logger.SecurityChanged(user.Id, AuditActions.RecoveryCodesRenewed);
        return View("RecoveryCodes", new RecoveryCodesPage(codes, Enrolled: false));
    }

    /// <summary>The challenge for a new passkey (JSON for navigator.credentials.create), called by wwwroot/js/passkeys.js.</summary>
    [HttpPost(AdminSetup.SecurityPath + "/passkeys/options")]
    [RequireRecentProof(ForScript = true)]
    public async Task<IActionResult> PasskeyCreationOptions()
    {
        if (await CurrentUserAsync() is not { } user)
        {
            return Challenge();
        }

        if ((await users.GetPasskeysAsync(user)).Count >= MaxPasskeys)
        {
            return BadRequest($"You have {MaxPasskeys} passkeys, the most an account can have: remove one first.");
        }

        var name = user.Email ?? user.UserName ?? user.Id;
        return Content(await signInManager.MakePasskeyCreationOptionsAsync(new PasskeyUserEntity { Id = user.Id, Name = name, DisplayName = name }), "application/json");
    }

    [HttpPost(AdminSetup.SecurityPath + "/passkeys")]
    [RequireRecentProof]
    [RequestSizeLimit(AccountController.MaxSignInBytes)]
    public async Task<IActionResult> AddPasskey([FromForm] string? name, [FromForm] string? credentialJson, CancellationToken cancellationToken)
    {
        if (await CurrentUserAsync() is not { } user)
        {
            return Challenge();
        }

        var trimmed = name?.Trim();
        if (string.IsNullOrEmpty(trimmed) || trimmed.Length > PasskeyNameMaxLength)
        {
            return await SecurityAgainAsync(user, $"Give the passkey a name of at most {PasskeyNameMaxLength} characters, such as “iPhone” or “security key”.", cancellationToken, "passkey-name");
        }

        if ((await users.GetPasskeysAsync(user)).Count >= MaxPasskeys)
        {
            return await SecurityAgainAsync(user, $"You have {MaxPasskeys} passkeys, the most an account can have: remove one first.", cancellationToken, "passkey-name");
        }

        PasskeyAttestationResult? result = null;
        if (!string.IsNullOrWhiteSpace(credentialJson))
        {
            try
            {
                result = await signInManager.PerformPasskeyAttestationAsync(credentialJson);
            }
            catch (InvalidOperationException)
            {
                // No ceremony under way: it expired, or the form was sent without the script.
            }
        }

        if (result is not { Succeeded: true, Passkey: { } passkey } || result.UserEntity?.Id != user.Id)
        {
            logger.PasskeyNotAdded(user.Id);
            return await SecurityAgainAsync(user, PasskeyNotAddedMessage, cancellationToken, "passkey-name");
        }

        passkey.Name = trimmed;
        var added = await users.AddOrUpdatePasskeyAsync(user, passkey);
        if (!added.Succeeded)
        {
            return await SecurityAgainAsync(user, PasskeyNotAddedMessage, cancellationToken, "passkey-name");
        }

        audit.Add(Actor, AuditActions.PasskeyAdded, detail: $"passkey “{trimmed}”");
        await SecondFactorAddedAsync(user, cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
        logger.SecurityChanged(user.Id, AuditActions.PasskeyAdded);
        return RedirectToSecurity($"Passkey “{trimmed}” added. You can now sign in with it.");
    }

    [HttpPost(AdminSetup.SecurityPath + "/passkeys/rename")]
    [RequireRecentProof]
    public async Task<IActionResult> RenamePasskey([FromForm] string? id, [FromForm] string? name, CancellationToken cancellationToken)
    {
        if (await CurrentUserAsync() is not { } user)
        {
            return Challenge();
        }

        if (CredentialIdOf(id) is not { } credentialId || await users.GetPasskeyAsync(user, credentialId) is not { } passkey)
        {
            return NotFound();
        }

        var trimmed = name?.Trim();
        if (string.IsNullOrEmpty(trimmed) || trimmed.Length > PasskeyNameMaxLength)
        {
            return await SecurityAgainAsync(user, $"Give the passkey a name of at most {PasskeyNameMaxLength} characters.", cancellationToken, "rename-" + id);
        }

        var before = passkey.Name;
        passkey.Name = trimmed;
        await users.AddOrUpdatePasskeyAsync(user, passkey);
        audit.Add(Actor, AuditActions.PasskeyRenamed, detail: $"passkey “{before}” is now “{trimmed}”");
        await db.SaveChangesAsync(cancellationToken);
        return RedirectToSecurity($"Passkey renamed to “{trimmed}”.");
    }

    [HttpPost(AdminSetup.SecurityPath + "/passkeys/remove")]
    [RequireRecentProof]
    public async Task<IActionResult> RemovePasskey([FromForm] string? id, CancellationToken cancellationToken)
    {
        if (await CurrentUserAsync() is not { } user)
        {
            return Challenge();
        }

        var passkeys = await users.GetPasskeysAsync(user);
        if (CredentialIdOf(id) is not { } credentialId || passkeys.FirstOrDefault(p => p.CredentialId.AsSpan().SequenceEqual(credentialId)) is not { } passkey)
        {
            return NotFound();
        }

        if (options.Value.RequireTwoFactor && passkeys.Count == 1 && !await authenticator.IsEnabledAsync(user))
        {
            return await SecurityAgainAsync(user, KeepOneFactorMessage, cancellationToken);
        }

        await users.RemovePasskeyAsync(user, credentialId);
        audit.Add(Actor, AuditActions.PasskeyRemoved, detail: $"passkey “{passkey.Name}”");
        await db.SaveChangesAsync(cancellationToken);
        logger.SecurityChanged(user.Id, AuditActions.PasskeyRemoved);
        return RedirectToSecurity($"Passkey “{passkey.Name}” removed: it can no longer sign in.");
    }

    [HttpGet(AdminSetup.SecurityPath + "/password")]
    public IActionResult ChangePassword() => View(new ChangePasswordForm());

    /// <summary>
    /// A new password ends every other session: whoever knew the old one is signed out everywhere. The current password
    /// on the form is the proof this change needs (RequireRecentProof asks for nothing more), and counts as one.
    /// </summary>
    [HttpPost(AdminSetup.SecurityPath + "/password")]
    [EnableRateLimiting(AdminSetup.SignInRateLimitPolicy)]
    [RequestSizeLimit(AccountController.MaxSignInBytes)]
    public async Task<IActionResult> ChangePassword([FromForm] ChangePasswordForm form, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(form);
        if (await CurrentUserAsync() is not { } user)
        {
            return Challenge();
        }

        if (string.IsNullOrEmpty(form.CurrentPassword) || form.CurrentPassword.Length > AccountController.PasswordMaxLength)
        {
            ModelState.AddModelError(nameof(form.CurrentPassword), "Enter your current password.");
        }

        if (string.IsNullOrEmpty(form.NewPassword) || form.NewPassword.Length > AccountController.PasswordMaxLength)
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
            ModelState.AddModelError(nameof(form.CurrentPassword), attempt.State.ClientLocked ? AccountController.ClientLockedMessage : PasswordBrakeMessage);
            return PasswordAgain();
        }

        var result = await users.ChangePasswordAsync(user, form.CurrentPassword!, form.NewPassword!);
        if (!result.Succeeded)
        {
            if (result.Errors.Any(e => e.Code == nameof(IdentityErrorDescriber.PasswordMismatch)))
            {
                // A wrong current password counts like a wrong password at sign-in (recorded with the attempt).
                audit.Add(Actor, AuditActions.SignInFailed, detail: "wrong current password on the Change password page");
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
        if (CurrentSessionId is { } sessionId)
        {
            await sessions.RecordProofAsync(sessionId, cancellationToken);
        }

        var ended = await sessions.EndAllAsync(user.Id, SessionEndReasons.PasswordChanged, CurrentSessionId, cancellationToken);
        audit.Add(Actor, AuditActions.PasswordChanged, detail: ended == 1 ? "1 other session ended" : $"{ended} other sessions ended");
        await db.SaveChangesAsync(cancellationToken);
        logger.SecurityChanged(user.Id, AuditActions.PasswordChanged);
        return RedirectToSecurity(ended == 0
            ? "Your password is changed."
            : $"Your password is changed, and {(ended == 1 ? "1 other session was" : $"{ended} other sessions were")} signed out.");
    }

    [HttpPost(AdminSetup.SecurityPath + "/sessions/end")]
    public async Task<IActionResult> EndSession([FromForm] string? id, CancellationToken cancellationToken)
    {
        if (await CurrentUserAsync() is not { } user)
        {
            return Challenge();
        }

        var session = string.IsNullOrEmpty(id) ? null : (await sessions.ActiveAsync(user.Id, cancellationToken)).FirstOrDefault(s => s.Id == id);
        if (session is null || !await sessions.EndAsync(user.Id, session.Id, SessionEndReasons.EndedFromSecurityPage, cancellationToken))
        {
            return RedirectToSecurity("That session had already ended.");
        }

        audit.Add(Actor, AuditActions.SessionEnded, detail: $"{Describe(session)}{(session.Id == CurrentSessionId ? " (this session)" : string.Empty)}");
        await db.SaveChangesAsync(cancellationToken);
        logger.SecurityChanged(user.Id, AuditActions.SessionEnded);
        if (session.Id == CurrentSessionId)
        {
            await signInManager.SignOutAsync();
            return Redirect(AdminSetup.SignInPath + "?signedOut=1");
        }

        return RedirectToSecurity($"The session on {session.Client} is signed out.");
    }

    [HttpPost(AdminSetup.SecurityPath + "/sessions/end-all")]
    [RequireRecentProof]
    public async Task<IActionResult> SignOutEverywhere(CancellationToken cancellationToken)
    {
        if (User.FindFirstValue(ClaimTypes.NameIdentifier) is not { } userId)
        {
            return Challenge();
        }

        var ended = await sessions.EndAllAsync(userId, SessionEndReasons.SignedOutEverywhere, exceptSessionId: null, cancellationToken);
        audit.Add(Actor, AuditActions.SignedOutEverywhere, detail: ended == 1 ? "1 session ended" : $"{ended} sessions ended");
        await db.SaveChangesAsync(cancellationToken);
        logger.SecurityChanged(userId, AuditActions.SignedOutEverywhere);
        await signInManager.SignOutAsync();
        return Redirect(AdminSetup.SignInPath + "?signedOut=1");
    }

    private async Task<SecurityPage> PageAsync(IdentityUser user, CancellationToken cancellationToken)
    {
        var passkeys = (await users.GetPasskeysAsync(user))
            .OrderBy(p => p.CreatedAt)
            .Select(p => new PasskeyRow(WebEncoders.Base64UrlEncode(p.CredentialId), p.Name ?? "Passkey", p.CreatedAt))
            .ToList();
        return new SecurityPage(
            EnrolmentOnly,
            options.Value.RequireTwoFactor,
            await authenticator.IsEnabledAsync(user),
            await authenticator.RecoveryCodesLeftAsync(user),
            passkeys,
            await sessions.ActiveAsync(user.Id, cancellationToken),
            CurrentSessionId);
    }

    private async Task<IActionResult> SecurityAgainAsync(IdentityUser user, string message, CancellationToken cancellationToken, string field = "")
    {
        ModelState.AddModelError(field, message);
        Response.StatusCode = StatusCodes.Status400BadRequest;
        return View(nameof(Security), await PageAsync(user, cancellationToken));
    }

    private ViewResult PasswordAgain()
    {
        Response.StatusCode = StatusCodes.Status400BadRequest;
        return View(nameof(ChangePassword), new ChangePasswordForm());
    }

    private RedirectResult RedirectToSecurity(string flash)
    {
        TempData.SetAdminFlash(flash);
        return Redirect(AdminSetup.SecurityPath);
    }

    /// <summary>
    /// The account now has a second factor, so a password alone must hold nothing: this session, if it was
    /// opened to enrol, opens fully, and every other session opened only to enrol ends (audited with the caller's save).
    /// </summary>
    private async Task SecondFactorAddedAsync(IdentityUser user, CancellationToken cancellationToken)
    {
        if (EnrolmentOnly && CurrentSessionId is { } sessionId)
        {
            await sessions.OpenFullyAsync(sessionId, cancellationToken);
        }

        foreach (var ended in await sessions.EndOtherEnrolmentOnlyAsync(user.Id, CurrentSessionId, cancellationToken))
        {
            audit.Add(Actor, AuditActions.SessionEnded, detail: $"{Describe(ended)}: {SessionEndReasons.EnrolledElsewhere}");
            logger.SecurityChanged(user.Id, AuditActions.SessionEnded);
        }
    }

    /// <summary>Ends this enrolment-only session, which asked for more than enrolment, and sends the browser to sign in.</summary>
    private async Task<IActionResult> EndEnrolmentSessionAsync(CancellationToken cancellationToken)
    {
        if (CurrentSessionId is { } sessionId && User.FindFirstValue(ClaimTypes.NameIdentifier) is { } userId)
        {
            await sessions.EndAsync(userId, sessionId, SessionEndReasons.BeyondEnrolment, cancellationToken);
            audit.Add(Actor, AuditActions.SessionEnded, detail: $"this session: {SessionEndReasons.BeyondEnrolment}");
            await db.SaveChangesAsync(cancellationToken);
            logger.SecurityChanged(userId, AuditActions.SessionEnded);
        }

        await signInManager.SignOutAsync();
        return Challenge();
    }

    private async Task<bool> HasSecondFactorAsync(IdentityUser user) =>
        await authenticator.IsEnabledAsync(user) || (await users.GetPasskeysAsync(user)).Count > 0;

    private string Describe(AdminSession session) => $"{session.Client}, signed in {clock.Format(session.StartedUtc)}";

    private Task<IdentityUser?> CurrentUserAsync() => users.GetUserAsync(User);

    private static byte[]? CredentialIdOf(string? id)
    {
        if (string.IsNullOrEmpty(id) || id.Length > 1400)
        {
            return null;
        }

        try
        {
            return WebEncoders.Base64UrlDecode(id);
        }
        catch (FormatException)
        {
            return null;
        }
    }
}
