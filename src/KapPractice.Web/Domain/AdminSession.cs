namespace KapPractice.Web.Domain;

/// <summary>
/// One signed-in admin session, referenced from the admin cookie and checked on every admin request, so
/// that ending it here ends it at once wherever the cookie is.
/// </summary>
public sealed class AdminSession
{
    /// <summary>
    /// A keyed hash of the session's id, never the id: the cookie carries the random id inside its encrypted ticket,
    /// and each request finds its row by hashing it (Features/AdminShell/AdminSessions.cs), so a copy of the table holds
    /// nothing a cookie could be made from or matched against.
    /// </summary>
    public required string Id { get; set; }
    public required string UserId { get; set; }
    public DateTime StartedUtc { get; set; }
    /// <summary>Updated at most once a minute, so a busy page costs a read, not a write.</summary>
    public DateTime LastSeenUtc { get; set; }
    /// <summary>A coarse description such as "Chrome on macOS": never the full user agent or an address.</summary>
    public required string Client { get; set; }
    /// <summary>How she signed in: "password", "password and authenticator code", "passkey" ...</summary>
    public required string Method { get; set; }
    /// <summary>Signed in with a password alone while a second factor is required: only enrolment is open.</summary>
    public bool EnrolmentOnly { get; set; }
    /// <summary>When she last gave her password, a code or a passkey in this session (signing in, or the confirm page): Admin:ReauthenticateWithin counts from it.</summary>
    public DateTime LastProofUtc { get; set; }
    public DateTime? EndedUtc { get; set; }
    public string? EndedReason { get; set; }
}
