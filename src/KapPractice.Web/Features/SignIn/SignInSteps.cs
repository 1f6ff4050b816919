using KapPractice.Web.Domain;
using KapPractice.Web.Features.AdminShell;
using KapPractice.Web.Infrastructure.Audit;
using KapPractice.Web.Infrastructure.Data;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace KapPractice.Web.Features.SignIn;

/// <param name="SignedIn">The code was right: the session is started.</param>
/// <param name="State">The throttle's counts, for the answer to a refused code.</param>
public sealed record SecondFactorResult(bool SignedIn, ThrottleState State);

/// <summary>
/// What the password form, the code page and the passkey share: judging a second-factor code, completing a sign-in
/// (every complete sign-in starts a server-side session, AdminSessions) and the decoy password check. Sign-in keeps
/// its own saves: an attempt is counted in a committed transaction of its own before it is judged (SignInThrottle), so
/// none of this runs in one [UnitOfWork].
/// </summary>
public sealed class SignInSteps(
    SignInThrottle throttle,
    Authenticator authenticator,
    AdminSessions sessions,
    IPasswordHasher<IdentityUser> passwordHasher,
    AuditLog audit,
    KapDbContext db,
    ILogger<SignInSteps> logger)
{
    private static readonly IdentityUser NoSuchUser = new() { UserName = "no-such-account" };
    private static string? _decoyHash;

    /// <summary>The name a sign-in is audited under: the account's address (nobody is signed in yet).</summary>
    public static string Actor(IdentityUser user)
    {
        ArgumentNullException.ThrowIfNull(user);
        return user.Email ?? user.Id;
    }

    /// <summary>
    /// Checks an authenticator code or, failing the code's shape, a recovery code; signs in or counts a failure. Like a
    /// password, the code is counted before it is checked (SignInThrottle.BeginAttemptAsync), so codes sent together
    /// cannot all slip under the code brake.
    /// </summary>
    public async Task<SecondFactorResult> SecondFactorAsync(IdentityUser user, string code, string client, HttpContext http, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(user);
        var actor = Actor(user);
        var attempt = await throttle.BeginAttemptAsync(user.Id, client, SignInFailureKind.Code, cancellationToken);
        if (!attempt.Judged)
        {
            var locked = attempt.State.ClientLocked;
            audit.Add(actor, locked ? AuditActions.LockedOut : AuditActions.SignInFailed,
                detail: locked ? "this address is locked out of the account for a while" : "codes refused for a while after many wrong ones");
            await db.SaveChangesAsync(cancellationToken);
            logger.SignInRefused(user.Id, locked ? "address locked" : "code brake");
            return new SecondFactorResult(false, attempt.State);
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
                await CompleteAsync(user, client, method, enrolmentOnly: false, http, cancellationToken);
                return new SecondFactorResult(true, attempt.State);
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
        return new SecondFactorResult(false, attempt.State);
    }

    /// <summary>Starts her session: the address's failures are forgiven, the sign-in audited with the session's save.</summary>
    public async Task CompleteAsync(IdentityUser user, string client, string method, bool enrolmentOnly, HttpContext http, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(user);
        await throttle.ForgiveClientAsync(user.Id, client, cancellationToken);
        audit.Add(Actor(user), AuditActions.SignedIn, detail: method);
        await sessions.SignInAsync(user, method, enrolmentOnly, http, cancellationToken);
        logger.SignedIn(user.Id);
    }

    /// <summary>
    /// The same PBKDF2 work as checking a real account's password, so the response time does not tell
    /// whether an address has an account. The decoy hash is made once, with the app's own hasher options.
    /// </summary>
    public void VerifyDecoyPassword(string password)
    {
        var decoy = LazyInitializer.EnsureInitialized(ref _decoyHash, () => passwordHasher.HashPassword(NoSuchUser, Guid.NewGuid().ToString("N")));
        _ = passwordHasher.VerifyHashedPassword(NoSuchUser, decoy, password);
    }
}

/// <summary>The sign-in pages shown again, and where a complete sign-in goes.</summary>
internal static class SignInResults
{
    /// <summary>Where she goes once signed in: back where she was asked to sign in (inside the admin area), else the inquiries.</summary>
    public static IActionResult SignedIn(this Controller controller, string? returnUrl) =>
        controller.LocalRedirect(AdminSetup.LocalReturnUrl(controller.Url, returnUrl) ?? "~" + AdminSetup.PathPrefix);

    /// <summary>The sign-in form again (400), without what was typed in its secret fields.</summary>
    public static ViewResult SignInAgain(this Controller controller, SignInForm form, string? message = null, bool codeError = false)
    {
        if (message is not null)
        {
            controller.ModelState.AddModelError(string.Empty, message);
        }

        controller.Response.StatusCode = StatusCodes.Status400BadRequest;
        return controller.View("SignIn", new SignInPage(form with { Password = null, Code = null, ReturnUrl = AdminSetup.LocalReturnUrl(controller.Url, form.ReturnUrl) }, codeError));
    }
}
