namespace KapPractice.Web.Domain;

/// <summary>
/// A reply the practitioner sent a client from the inquiry page: the text as she wrote it (placeholders
/// already filled), kept on the inquiry's timeline; its outbox rows carry the delivery state.
/// </summary>
public sealed class InquiryReply
{
    public int Id { get; set; }
    public int InquiryId { get; set; }
    public required string Author { get; set; }
    public DateTime SentUtc { get; set; }
    public required string Subject { get; set; }
    public required string Body { get; set; }
    /// <summary>The composer form's random id: a second post of the same form (a double click) is recognised by it.</summary>
    public Guid? DraftId { get; set; }
    public List<OutboxMessage> OutboxMessages { get; set; } = [];
}
