namespace KapPractice.Web.Domain;

/// <summary>A page of the site with a fixed address, or one of the practitioner's articles.</summary>
public enum ContentKind
{
    Page,
    Article,
}

/// <summary>
/// One page or article of the public site. Its words live in <see cref="ContentRevision"/>s (every save is one);
/// this row says which revision visitors see and when. Practice content, not client data: stored unencrypted.
/// </summary>
public sealed class ContentItem
{
    public const int SlugLength = 100;

    public int Id { get; set; }
    public ContentKind Kind { get; set; }

    /// <summary>An article's address (<c>/articles/{Slug}</c>); for a page, its fixed name (a SitePages key such as "fees").</summary>
    public required string Slug { get; set; }

    /// <summary>The revision visitors see; null while it is a draft or unpublished.</summary>
    public int? PublishedRevisionId { get; set; }

    /// <summary>The revision that goes live at <see cref="PublishAtUtc"/>.</summary>
    public int? ScheduledRevisionId { get; set; }
    public DateTime? PublishAtUtc { get; set; }

    /// <summary>Set the first time visitors could see it: from then on a new slug leaves a redirect behind.</summary>
    public DateTime? FirstPublishedUtc { get; set; }

    /// <summary>A deleted article keeps this row only, so its addresses answer "gone" rather than "not found".</summary>
    public DateTime? DeletedUtc { get; set; }

    public DateTime ChangedUtc { get; set; }
    public required string ChangedBy { get; set; }

    public List<ContentRevision> Revisions { get; set; } = [];
}

/// <summary>One saved version of a page or article: the front matter as fields, and the Markdown body.</summary>
public sealed class ContentRevision
{
    public const int TitleLength = 200;
    public const int SummaryLength = 400;
    public const int AuthorLength = 200;
    public const int BodyLength = 200_000;
    public const int NoteLength = 200;

    public int Id { get; set; }
    public int ContentItemId { get; set; }

    /// <summary>1 for the first save of the item, then one more for each.</summary>
    public int Number { get; set; }

    public required string Title { get; set; }
    public required string Slug { get; set; }
    public required string Summary { get; set; }
    public required string Author { get; set; }

    /// <summary>The article's date as shown to readers; pages have none.</summary>
    public DateOnly? PublishedOn { get; set; }
    public DateOnly? UpdatedOn { get; set; }

    /// <summary>A content-hashed image name (see ContentImage) shown with the article and in link previews.</summary>
    public string? ImageName { get; set; }

    public required string Body { get; set; }
    public DateTime SavedUtc { get; set; }
    public required string SavedBy { get; set; }

    /// <summary>Why this revision exists when it is not a plain save ("restored from revision 3", "imported").</summary>
    public string? Note { get; set; }
}

/// <summary>An address an article had before its slug changed: answers with a permanent redirect to where it is now.</summary>
public sealed class ContentRedirect
{
    public required string FromSlug { get; set; }
    public int ContentItemId { get; set; }
    public DateTime CreatedUtc { get; set; }
}

/// <summary>
/// One row whose number goes up with every change visitors could see. Each instance compares it with the number
/// its copy of the site was built from, so a publish on one instance reaches all of them.
/// </summary>
public sealed class ContentVersion
{
    public const int SingletonId = 1;

    public int Id { get; set; }
    public long Number { get; set; }
}

/// <summary>
/// A picture she uploaded for her articles or bio, kept only as the files made from it: decoded and encoded again, so
/// nothing of the original file (its EXIF, the GPS position where a photo was taken) is stored.
/// </summary>
public sealed class ContentImage
{
    public const int KeyLength = 40;
    public const int AltLength = 300;

    public int Id { get; set; }

    /// <summary>The hash part of the name of the file its Markdown line points at (ProcessedImage.Key), so its files can be cached for a year: a changed picture is a new key.</summary>
    public required string Key { get; set; }

    /// <summary>What the picture shows, for people who cannot see it; empty only when <see cref="IsDecorative"/>.</summary>
    public required string Alt { get; set; }
    public bool IsDecorative { get; set; }

    /// <summary>The size of the largest file made from it.</summary>
    public int Width { get; set; }
    public int Height { get; set; }

    public DateTime UploadedUtc { get; set; }
    public required string UploadedBy { get; set; }

    public List<ContentImageFile> Files { get; set; } = [];
}

/// <summary>One width of a <see cref="ContentImage"/>, as served under <c>/media/{FileName}</c>.</summary>
public sealed class ContentImageFile
{
    public const int FileNameLength = 80;
    public const int ContentTypeLength = 40;

    public required string FileName { get; set; }
    public int ContentImageId { get; set; }
    public int Width { get; set; }
    public int Height { get; set; }
    public required string ContentType { get; set; }
    public required byte[] Bytes { get; set; }
}
