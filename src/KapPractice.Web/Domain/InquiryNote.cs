namespace KapPractice.Web.Domain;

/// <summary>A private note the practitioner keeps on an inquiry.</summary>
public sealed class InquiryNote
{
    public int Id { get; set; }
    public int InquiryId { get; set; }
    public required string Author { get; set; }
    public required string Text { get; set; }
    public DateTime CreatedUtc { get; set; }
}
