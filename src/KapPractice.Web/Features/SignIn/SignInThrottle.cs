using KapPractice.Web.Domain;
using KapPractice.Web.Features.AdminShell;
using System.Net;
using System.Net.Sockets;
using KapPractice.Web.Infrastructure.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace KapPractice.Web.Features.SignIn;

/// <param name="ClientFailures">Failures for this account from this address within Admin:LockoutDuration.</param>
/// <param name="ClientLocked">This address has failed too often for this account (Admin:MaxFailedAttempts within Admin:LockoutDuration).</param>
/// <param name="PasswordBrake">The account has had too many failed passwords from everywhere (Admin:AccountBrakeAttempts within Admin:AccountBrakeWindow).</param>
/// <param name="CodeBrake">The same for wrong second-factor codes, which only someone who knew the password could send.</param>
public sealed record ThrottleState(int ClientFailures, bool ClientLocked, bool PasswordBrake, bool CodeBrake);

/// <summary>A password or code about to be checked, and whether it may be judged at all.</summary>
/// <param name="State">The counts just before this attempt, this attempt not included.</param>
/// <param name="FailureId">The failure recorded for it in advance, which a right answer withdraws; null when it is not judged (this address is locked, or its kind's brake is on).</param>
public sealed record ThrottleAttempt(ThrottleState State, long? FailureId)
{
    public bool Judged => FailureId is not null;
}

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

    /// <summary>
    /// Counts and takes a turn in one section per account, before the password or code is checked: the attempt is
    /// recorded as a failure at once, so attempts sent together (from any number of addresses, to any instance) are
    /// counted one after another and never judged against a count that has not seen the others. At most
    /// Admin:AccountBrakeAttempts are judged; the rest find the brake on. A right answer withdraws its failure
    /// (<see cref="WithdrawAsync"/>). Saves at once: call it with nothing else waiting in the unit of work.
    /// </summary>
    public async Task<ThrottleAttempt> BeginAttemptAsync(string userId, string client, SignInFailureKind kind, CancellationToken cancellationToken)
    {
        // A PostgreSQL advisory lock; on SQLite the transaction is already the only writer (Infrastructure/Data/AcrossInstances.cs).
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        await db.Database.LockSectionAsync("sign-in-attempts:" + userId, cancellationToken);
        var state = await StateAsync(userId, client, cancellationToken);
        if (state.ClientLocked || (kind == SignInFailureKind.Password ? state.PasswordBrake : state.CodeBrake))
        {
            return new ThrottleAttempt(state, null);
        }

        var failure = await RecordFailureAsync(userId, client, kind, cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        db.Entry(failure).State = EntityState.Detached;
        return new ThrottleAttempt(state, failure.Id);
    }

    /// <summary>The attempt was right: it was no failure after all.</summary>
    public async Task WithdrawAsync(ThrottleAttempt attempt, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(attempt);
        if (attempt.FailureId is { } id)
        {
            await db.SignInFailures.Where(f => f.Id == id).ExecuteDeleteAsync(cancellationToken);
        }
    }

    /// <summary>Adds a failure to the unit of work (saved with its audit entry) and forgets failures too old to count.</summary>
    public async Task<SignInFailure> RecordFailureAsync(string userId, string client, SignInFailureKind kind, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var now = time.GetUtcNow().UtcDateTime;
        var forgetBefore = now - (settings.LockoutDuration > settings.AccountBrakeWindow ? settings.LockoutDuration : settings.AccountBrakeWindow);
        await db.SignInFailures.Where(f => f.UserId == userId && f.OccurredUtc <= forgetBefore).ExecuteDeleteAsync(cancellationToken);
        var failure = new SignInFailure { UserId = userId, Client = client, Kind = kind, OccurredUtc = now };
        db.SignInFailures.Add(failure);
        return failure;
    }

    /// <summary>After a complete sign-in this address starts afresh; the account-wide brake keeps counting.</summary>
    public Task ForgiveClientAsync(string userId, string client, CancellationToken cancellationToken) =>
        db.SignInFailures.Where(f => f.UserId == userId && f.Client == client).ExecuteDeleteAsync(cancellationToken);

    /// <summary>For reset-two-factor: a clean slate for the account.</summary>
    public Task ForgetAllAsync(string userId, CancellationToken cancellationToken) =>
        db.SignInFailures.Where(f => f.UserId == userId).ExecuteDeleteAsync(cancellationToken);
}
