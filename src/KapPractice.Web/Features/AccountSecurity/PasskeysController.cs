using KapPractice.Web.Features.AdminShell;
using KapPractice.Web.Features.SignIn;
using KapPractice.Web.Infrastructure.Audit;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Options;

namespace KapPractice.Web.Features.AccountSecurity;

/// <summary>Adding, renaming and removing passkeys (wwwroot/js/passkeys.js runs the browser's side of adding one).</summary>
[Authorize(Policy = AdminSetup.AnySessionPolicy)]
[EnrolmentOnlyGate]
public sealed class PasskeysController(
    UserManager<IdentityUser> users,
    SignInManager<IdentityUser> signInManager,
    Authenticator authenticator,
    EnrolmentSessions enrolment,
    SecurityOverview overview,
    IOptions<AdminOptions> options,
    AuditLog audit,
    UnitOfWork work,
    ILogger<PasskeysController> logger) : Controller
{
    public const int MaxPasskeys = 10;
    public const int PasskeyNameMaxLength = 50;
    public const string PasskeyNotAddedMessage = "The passkey was not added: your browser or device did not complete it. Try again; if it keeps failing, this browser may not support passkeys.";

    /// <summary>The challenge for a new passkey (JSON for navigator.credentials.create), called by wwwroot/js/passkeys.js.</summary>
    [HttpPost(AdminSetup.SecurityPath + "/passkeys/options")]
    [AllowedWhileEnrolling]
    [RequireRecentProof(ForScript = true)]
    public async Task<IActionResult> PasskeyCreationOptions()
    {
        if (await users.GetUserAsync(User) is not { } user)
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
    [AllowedWhileEnrolling]
    [RequireRecentProof]
    [RequestSizeLimit(SignInSetup.MaxSignInBytes)]
    [UnitOfWork]
    public async Task<IActionResult> AddPasskey([FromForm] string? name, [FromForm] string? credentialJson, CancellationToken cancellationToken)
    {
        if (await users.GetUserAsync(User) is not { } user)
        {
            return Challenge();
        }

        var trimmed = name?.Trim();
        if (string.IsNullOrEmpty(trimmed) || trimmed.Length > PasskeyNameMaxLength)
        {
            return await this.SecurityAgainAsync(overview, user, $"Give the passkey a name of at most {PasskeyNameMaxLength} characters, such as “iPhone” or “security key”.", cancellationToken, "passkey-name");
        }

        if ((await users.GetPasskeysAsync(user)).Count >= MaxPasskeys)
        {
            return await this.SecurityAgainAsync(overview, user, $"You have {MaxPasskeys} passkeys, the most an account can have: remove one first.", cancellationToken, "passkey-name");
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
            return await this.SecurityAgainAsync(overview, user, PasskeyNotAddedMessage, cancellationToken, "passkey-name");
        }

        passkey.Name = trimmed;
        var added = await users.AddOrUpdatePasskeyAsync(user, passkey);
        if (!added.Succeeded)
        {
            // The refused update stays tracked in the context: none of it may be saved.
            work.Discard();
            return await this.SecurityAgainAsync(overview, user, PasskeyNotAddedMessage, cancellationToken, "passkey-name");
        }

        audit.Add(User.AuditName(), AuditActions.PasskeyAdded, detail: $"passkey “{trimmed}”");
        await enrolment.SecondFactorAddedAsync(user, HttpContext, cancellationToken);
        work.AfterCommit(() => logger.SecurityChanged(user.Id, AuditActions.PasskeyAdded));
        return this.RedirectToSecurity($"Passkey “{trimmed}” added. You can now sign in with it.");
    }

    [HttpPost(AdminSetup.SecurityPath + "/passkeys/rename")]
    [RequireRecentProof]
    [UnitOfWork]
    public async Task<IActionResult> RenamePasskey([FromForm] string? id, [FromForm] string? name, CancellationToken cancellationToken)
    {
        if (await users.GetUserAsync(User) is not { } user)
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
            return await this.SecurityAgainAsync(overview, user, $"Give the passkey a name of at most {PasskeyNameMaxLength} characters.", cancellationToken, "rename-" + id);
        }

        var before = passkey.Name;
        passkey.Name = trimmed;
        await users.AddOrUpdatePasskeyAsync(user, passkey);
        audit.Add(User.AuditName(), AuditActions.PasskeyRenamed, detail: $"passkey “{before}” is now “{trimmed}”");
        return this.RedirectToSecurity($"Passkey renamed to “{trimmed}”.");
    }

    [HttpPost(AdminSetup.SecurityPath + "/passkeys/remove")]
    [RequireRecentProof]
    [UnitOfWork]
    public async Task<IActionResult> RemovePasskey([FromForm] string? id, CancellationToken cancellationToken)
    {
        if (await users.GetUserAsync(User) is not { } user)
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
            return await this.SecurityAgainAsync(overview, user, SecurityController.KeepOneFactorMessage, cancellationToken);
        }

        await users.RemovePasskeyAsync(user, credentialId);
        audit.Add(User.AuditName(), AuditActions.PasskeyRemoved, detail: $"passkey “{passkey.Name}”");
        work.AfterCommit(() => logger.SecurityChanged(user.Id, AuditActions.PasskeyRemoved));
        return this.RedirectToSecurity($"Passkey “{passkey.Name}” removed: it can no longer sign in.");
    }

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
