namespace KapPractice.Web.Domain;

/// <summary>
/// Who did what to which inquiry, and when. Holds no inquiry content: the inquiry id, an action
/// name and a short non-clinical detail (a status name, a row count).
/// </summary>
public sealed class AuditEntry
{
    public long Id { get; set; }
    public DateTime OccurredUtc { get; set; }
    public required string Actor { get; set; }
    public required string Action { get; set; }
    /// <summary>Not a foreign key: the trail outlives a deleted inquiry.</summary>
    public int? InquiryId { get; set; }
    public string? Detail { get; set; }
}
