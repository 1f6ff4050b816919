namespace KapPractice.Web.Domain;

/// <summary>A load of the inquiry form that has been sent: the id inside its fill-time token, kept until that token would be too old anyway.</summary>
public sealed class UsedFillToken
{
    public const int IdLength = 32;

    public required string Id { get; set; }
    public DateTime ExpiresUtc { get; set; }
}
