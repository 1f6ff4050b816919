namespace KapPractice.Web.Domain;

/// <summary>
/// One stored inquiry counted against its client's limit: a keyed hash of the client's address (never the address),
/// kept only as long as the limit's window, so every instance on the database counts the same.
/// </summary>
public sealed class InquiryPermit
{
    public long Id { get; set; }
    public required byte[] ClientHash { get; set; }
    public DateTime TakenUtc { get; set; }
}
