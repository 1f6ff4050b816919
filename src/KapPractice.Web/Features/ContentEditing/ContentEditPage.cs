using KapPractice.Web.Domain;
using KapPractice.Web.Features.Content;

namespace KapPractice.Web.Features.ContentEditing;

/// <summary>The editor: the item (null Id while a new article is written), the form, where it stands, and her pictures to pick from.</summary>
/// <param name="PublicPath">Where visitors find it (its live address); null while never published.</param>
public sealed record ContentEditPage(
    int? Id,
    ContentKind Kind,
    string Heading,
    ContentForm Form,
    ContentStatus? Status,
    string? PublicPath,
    IReadOnlyList<ContentImageView> Images,
    string ZoneName)
{
    public bool IsArticle => Kind == ContentKind.Article;

    /// <summary>Articles and the fees page may be taken off the site; the other pages always have a version live.</summary>
    public bool CanUnpublish => Id is not null && Status?.LiveRevision is not null && (IsArticle || Form.Slug == SitePages.Fees);

    public bool CanDelete => Id is not null && IsArticle;
}

/// <summary>One row of the content list.</summary>
public sealed record ContentListRow(int Id, ContentKind Kind, string Label, string Title, string? PublicPath, ContentStatus Status);
