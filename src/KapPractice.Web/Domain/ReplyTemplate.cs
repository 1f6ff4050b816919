namespace KapPractice.Web.Domain;

/// <summary>A row the practitioner keeps in a list of her own (templates, referrals), known by its id and name.</summary>
public interface IAdminListItem
{
    int Id { get; }
    string Name { get; }
}

/// <summary>
/// A reply the practitioner starts from, with placeholders. She writes templates herself and they hold
/// nothing about any client, so unlike replies they are stored unencrypted.
/// </summary>
public sealed class ReplyTemplate : IAdminListItem
{
    public int Id { get; set; }
    public required string Name { get; set; }
    public required string Subject { get; set; }
    public required string Body { get; set; }
    public DateTime ChangedUtc { get; set; }
}

/// <summary>A resource the practitioner refers clients to; practice data, not client data, so stored unencrypted.</summary>
public sealed class Referral : IAdminListItem
{
    public int Id { get; set; }
    public required string Name { get; set; }
    /// <summary>What the resource is for, in a few words.</summary>
    public required string Purpose { get; set; }
    /// <summary>How to reach it: a phone number, an address, a website.</summary>
    public required string Contact { get; set; }
    public DateTime ChangedUtc { get; set; }
}

/// <summary>A one-time piece of start-up data that was put in place, so it is never put back after the practitioner removed it.</summary>
public sealed class DataSeed
{
    public required string Name { get; set; }
    public DateTime SeededUtc { get; set; }
}
