namespace KapPractice.Web.Domain;

/// <summary>
/// A local day on which the practitioner's daily digest was considered: its date is the key, so the digest is
/// queued at most once a day, across restarts too; <see cref="Queued"/> says whether anything waited.
/// </summary>
public sealed class DigestDay
{
    public DateOnly LocalDate { get; set; }
    public DateTime CheckedUtc { get; set; }
    public bool Queued { get; set; }
}
