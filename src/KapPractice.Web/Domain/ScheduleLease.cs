namespace KapPractice.Web.Domain;

/// <summary>Which instance holds a scheduled job (retention, backups, ...) and until when; one row per job.</summary>
public sealed class ScheduleLease
{
    public const int NameLength = 60;
    public const int HolderLength = 80;

    public required string Name { get; set; }
    public required string Holder { get; set; }
    public DateTime ExpiresUtc { get; set; }
}
