using System.Net;
using System.Net.Sockets;
using KapPractice.Web.Infrastructure.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace KapPractice.Web.Features.Admin;

/// <param name="ClientFailures">Failures for this account from this address within Admin:LockoutDuration.</param>
/// <param name="ClientLocked">This address has failed too often for this account (Admin:MaxFailedAttempts within Admin:LockoutDuration).</param>
/// <param name="PasswordBrake">The account has had too many failed passwords from everywhere (Admin:AccountBrakeAttempts within Admin:AccountBrakeWindow).</param>
/// <param name="CodeBrake">The same for wrong second-factor codes, which only someone who knew the password could send.</param>
public sealed record ThrottleState(int ClientFailures, bool ClientLocked, bool PasswordBrake, bool CodeBrake);

/// <summary>
/// The lockout that cannot be turned against her. Failures are counted per account and client address, and
/// only that pair is locked, so guesses from one place never keep her out from another. A slower
/// account-wide brake stops many addresses guessing together: while it is on, a password alone is not
/// even judged (the answer is the same, right or wrong); the password with a code, or a passkey, passes.
/// Identity's own per-account lockout is not used (see AdminSetup).
/// </summary>
public sealed class SignInThrottle(KapDbContext db, IOptions<AdminOptions> options, TimeProvider time)
{
    /// <summary>The client as the lock counts it: an IPv4 address, or the /64 network of an IPv6 one (one household or server holds a whole /64).</summary>
    public static string ClientOf(IPAddress? address)
    {
        if (address is null)
        {
            return "unknown";
        }

        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }

        if (address.AddressFamily != AddressFamily.InterNetworkV6)
        {
            return address.ToString();
        }

        var bytes = address.GetAddressBytes();
        Array.Clear(bytes, 8, 8);
        return new IPAddress(bytes) + "/64";
    }

    public static string ClientOf(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return ClientOf(context.Connection.RemoteIpAddress);
    }

    public async Task<ThrottleState> StateAsync(string userId, string client, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var now = time.GetUtcNow().UtcDateTime;
        var clientSince = now - settings.LockoutDuration;
        var brakeSince = now - settings.AccountBrakeWindow;
        var recent = db.SignInFailures.Where(f => f.UserId == userId);
        var clientFailures = await recent.CountAsync(f => f.Client == client && f.OccurredUtc > clientSince, cancellationToken);
        var passwordFailures = await recent.CountAsync(f => f.Kind == SignInFailureKind.Password && f.OccurredUtc > brakeSince, cancellationToken);
        var codeFailures = await recent.CountAsync(f => f.Kind == SignInFailureKind.Code && f.OccurredUtc > brakeSince, cancellationToken);
        return new ThrottleState(
            clientFailures,
            clientFailures >= settings.MaxFailedAttempts,
            passwordFailures >= settings.AccountBrakeAttempts,
            codeFailures >= settings.AccountBrakeAttempts);
    }

    /// <summary>Adds a failure to the unit of work (saved with its audit entry) and forgets failures too old to count.</summary>
    public async Task RecordFailureAsync(string userId, string client, SignInFailureKind kind, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var now = time.GetUtcNow().UtcDateTime;
        var forgetBefore = now - (settings.LockoutDuration > settings.AccountBrakeWindow ? settings.LockoutDuration : settings.AccountBrakeWindow);
        await db.SignInFailures.Where(f => f.UserId == userId && f.OccurredUtc <= forgetBefore).ExecuteDeleteAsync(cancellationToken);
        db.SignInFailures.Add(new SignInFailure { UserId = userId, Client = client, Kind = kind, OccurredUtc = now });
    }

    /// <summary>After a complete sign-in this address starts afresh; the account-wide brake keeps counting.</summary>
    public Task ForgiveClientAsync(string userId, string client, CancellationToken cancellationToken) =>
        db.SignInFailures.Where(f => f.UserId == userId && f.Client == client).ExecuteDeleteAsync(cancellationToken);

    /// <summary>For reset-two-factor: a clean slate for the account.</summary>
    public Task ForgetAllAsync(string userId, CancellationToken cancellationToken) =>
        db.SignInFailures.Where(f => f.UserId == userId).ExecuteDeleteAsync(cancellationToken);
}
