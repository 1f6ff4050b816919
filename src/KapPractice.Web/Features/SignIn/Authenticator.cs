using KapPractice.Web.Features.AdminShell;
using System.Globalization;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;
using QRCoder;
using KapPractice.Web.Infrastructure;
using KapPractice.Web.Infrastructure.Data;
using Microsoft.EntityFrameworkCore;

namespace KapPractice.Web.Features.SignIn;

/// <summary>What the enrolment page shows: the QR code of the otpauth link and the same key for typing.</summary>
public sealed record AuthenticatorSetup(string GroupedKey, string QrCodeDataUri);

/// <summary>
/// The authenticator-app second factor on Identity's own store: the key, the two-factor flag and the
/// recovery codes are Identity's. A new key waits as a pending token until a code from it is typed, so
/// moving to a new phone never leaves the account without a working factor; each code is good once.
/// </summary>
public sealed class Authenticator(UserManager<IdentityUser> users, IUserStore<IdentityUser> store, IOptions<PracticeOptions> practice, KapDbContext db, TimeProvider time)
{
    public const int RecoveryCodeCount = 10;

    /// <summary>At or below this many unused recovery codes the Security page warns.</summary>
    public const int FewRecoveryCodes = 2;

    private const string TokenProvider = "KapPractice";
    private const string PendingKeyToken = "PendingAuthenticatorKey";
    private const string LastStepToken = "AuthenticatorLastStep";

    public Task<bool> IsEnabledAsync(IdentityUser user) => users.GetTwoFactorEnabledAsync(user);

    /// <summary>The pending key (made now if there is none) as a QR code and as text.</summary>
    public async Task<AuthenticatorSetup> PendingSetupAsync(IdentityUser user)
    {
        ArgumentNullException.ThrowIfNull(user);
        var key = await users.GetAuthenticationTokenAsync(user, TokenProvider, PendingKeyToken);
        if (string.IsNullOrEmpty(key))
        {
            key = users.GenerateNewAuthenticatorKey();
            await users.SetAuthenticationTokenAsync(user, TokenProvider, PendingKeyToken, key);
        }

        var issuer = practice.Value.Name;
        var account = user.Email ?? user.UserName ?? user.Id;
        var uri = string.Create(CultureInfo.InvariantCulture,
            $"otpauth://totp/{Uri.EscapeDataString(issuer)}:{Uri.EscapeDataString(account)}?secret={key}&issuer={Uri.EscapeDataString(issuer)}&digits={Totp.Digits}&period={Totp.StepSeconds}");
        using var data = QRCodeGenerator.GenerateQrCode(uri, QRCodeGenerator.ECCLevel.M);
        using var qr = new SvgQRCode(data);
        var svg = qr.GetGraphic(8, "#000000", "#ffffff", drawQuietZones: true, SvgQRCode.SizingMode.ViewBoxAttribute);
        // An image, not inline markup: the page's CSP already allows data: images, and alt text describes it.
        return new AuthenticatorSetup(Totp.Grouped(key), "data:image/svg+xml;base64," + Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(svg)));
    }

    /// <summary>
    /// Makes the pending key the account's key if <paramref name="code"/> comes from it, turns two-factor
    /// sign-in on and returns new recovery codes (the old ones stop working); null when the code is wrong.
    /// </summary>
    public async Task<IReadOnlyList<string>?> ConfirmPendingAsync(IdentityUser user, string? code)
    {
        ArgumentNullException.ThrowIfNull(user);
        var key = await users.GetAuthenticationTokenAsync(user, TokenProvider, PendingKeyToken);
        var step = Totp.FromBase32(key) is { } bytes ? Totp.Match(bytes, code, time.GetUtcNow(), long.MinValue) : null;
        if (step is null)
        {
            return null;
        }

        if (store is not IUserAuthenticatorKeyStore<IdentityUser> keys)
        {
            throw new InvalidOperationException("The Identity store keeps no authenticator keys.");
        }

        await keys.SetAuthenticatorKeyAsync(user, key!, CancellationToken.None);
        await users.RemoveAuthenticationTokenAsync(user, TokenProvider, PendingKeyToken);
        await users.SetAuthenticationTokenAsync(user, TokenProvider, LastStepToken, step.Value.ToString(CultureInfo.InvariantCulture));
        await users.SetTwoFactorEnabledAsync(user, true);
        return [.. await users.GenerateNewTwoFactorRecoveryCodesAsync(user, RecoveryCodeCount) ?? []];
    }

    /// <summary>True when <paramref name="code"/> comes from the account's key and has not been used before.</summary>
    public async Task<bool> VerifyAsync(IdentityUser user, string? code)
    {
        ArgumentNullException.ThrowIfNull(user);
        if (!await users.GetTwoFactorEnabledAsync(user) || Totp.FromBase32(await users.GetAuthenticatorKeyAsync(user)) is not { } key)
        {
            return false;
        }

        var last = long.TryParse(await users.GetAuthenticationTokenAsync(user, TokenProvider, LastStepToken), CultureInfo.InvariantCulture, out var parsed) ? parsed : long.MinValue;
        if (Totp.Match(key, code, time.GetUtcNow(), last) is not { } step)
        {
            return false;
        }

        // The account's concurrency stamp makes this the one place a code is spent: when another request spent
        // it (or changed the account) since this one read the account, the update fails and the code is refused.
        if (!(await users.SetAuthenticationTokenAsync(user, TokenProvider, LastStepToken, step.ToString(CultureInfo.InvariantCulture))).Succeeded)
        {
            ForgetUnsavedAccountChanges();
            return false;
        }

        return true;
    }

    /// <summary>Uses up a recovery code; returns how many remain, or null when it is not one of hers.</summary>
    public async Task<int?> RedeemRecoveryCodeAsync(IdentityUser user, string? code)
    {
        ArgumentNullException.ThrowIfNull(user);
        var normalized = code?.Trim().ToUpperInvariant();
        if (string.IsNullOrEmpty(normalized) || !await users.GetTwoFactorEnabledAsync(user))
        {
            return null;
        }

        var result = await users.RedeemTwoFactorRecoveryCodeAsync(user, normalized);
        if (!result.Succeeded)
        {
            ForgetUnsavedAccountChanges();
            return null;
        }

        return await users.CountRecoveryCodesAsync(user);
    }

    /// <summary>
    /// A refused account update leaves the stale account and its tokens changed in the request's unit of work;
    /// they must not be flushed by the next save (the audit entry of the refusal, or a session).
    /// </summary>
    private void ForgetUnsavedAccountChanges()
    {
        foreach (var entry in db.ChangeTracker.Entries()
            .Where(e => e.Entity is IdentityUser or IdentityUserToken<string> && e.State is EntityState.Added or EntityState.Modified or EntityState.Deleted)
            .ToList())
        {
            entry.State = EntityState.Detached;
        }
    }

    public async Task<int> RecoveryCodesLeftAsync(IdentityUser user) =>
        await users.GetTwoFactorEnabledAsync(user) ? await users.CountRecoveryCodesAsync(user) : 0;

    public async Task<IReadOnlyList<string>> NewRecoveryCodesAsync(IdentityUser user) =>
        [.. await users.GenerateNewTwoFactorRecoveryCodesAsync(user, RecoveryCodeCount) ?? []];

    /// <summary>Turns the authenticator off: the key is replaced (old codes stop), the recovery codes go.</summary>
    public async Task RemoveAsync(IdentityUser user)
    {
        ArgumentNullException.ThrowIfNull(user);
        await users.SetTwoFactorEnabledAsync(user, false);
        await users.ResetAuthenticatorKeyAsync(user);
        await users.GenerateNewTwoFactorRecoveryCodesAsync(user, 0);
        await users.RemoveAuthenticationTokenAsync(user, TokenProvider, PendingKeyToken);
        await users.RemoveAuthenticationTokenAsync(user, TokenProvider, LastStepToken);
    }
}
