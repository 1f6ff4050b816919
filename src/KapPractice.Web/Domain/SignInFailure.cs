namespace KapPractice.Web.Domain;

public enum SignInFailureKind
{
    Password,
    Code,
}

/// <summary>
/// A failed password or second-factor code for an account, with the client network it came from: the
/// per-address lock and the account-wide brake are counted from these rows.
/// </summary>
public sealed class SignInFailure
{
    public long Id { get; set; }
    public required string UserId { get; set; }
    /// <summary>The client's address (IPv4) or its /64 network (IPv6), as the rate limits see it.</summary>
    public required string Client { get; set; }
    public SignInFailureKind Kind { get; set; }
    public DateTime OccurredUtc { get; set; }
}
