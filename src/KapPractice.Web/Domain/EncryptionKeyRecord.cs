namespace KapPractice.Web.Domain;

/// <summary>
/// A data key the database is encrypted with: its id and a check value sealed with it (never the key), so start-up
/// can tell a missing or wrong key before any page shows garbage. Removed once nothing is sealed with it (rotate-key).
/// </summary>
public sealed class EncryptionKeyRecord
{
    /// <summary>The key id as eight hex digits, as the key file names it.</summary>
    public required string KeyId { get; set; }
    public DateTime CreatedUtc { get; set; }
    public required byte[] Check { get; set; }
}
