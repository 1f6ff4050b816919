using KapPractice.Web.Domain;
using KapPractice.Web.Features.Content;
using KapPractice.Web.Infrastructure;
using KapPractice.Web.Infrastructure.Data;

namespace KapPractice.Web.Features.ContentEditing;

/// <summary>The editor: the item (null Id while a new article is written), the form, where it stands, and her pictures to pick from.</summary>
/// <param name="PublicPath">Where visitors find it (its live address); null while never published.</param>
/// <param name="MayBeUnpublished">Articles and the fees page may be taken off the site (ContentPublishing.CanBeUnpublished).</param>
public sealed record ContentEditPage(
    int? Id,
    ContentKind Kind,
    string Heading,
    ContentForm Form,
    ContentStatus? Status,
    string? PublicPath,
    IReadOnlyList<ContentImageView> Images,
    string ZoneName,
    bool MayBeUnpublished)
{
    public bool IsArticle => Kind == ContentKind.Article;

    public bool CanUnpublish => Id is not null && Status?.LiveRevision is not null && MayBeUnpublished;

    public bool CanDelete => Id is not null && IsArticle;

    /// <summary>The editor for <paramref name="item"/> (null: a new article) showing <paramref name="form"/>.</summary>
    public static async Task<ContentEditPage> BuildAsync(
        KapDbContext db, PracticeClock clock, DateTime nowUtc, ContentItem? item, ContentKind kind, ContentForm form, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(clock);
        ArgumentNullException.ThrowIfNull(form);
        var images = (await PublishedContent.LoadImagesAsync(db, cancellationToken)).Values.OrderBy(i => i.Alt, StringComparer.CurrentCulture).ToList();
        ContentStatus? status = null;
        string heading;
        if (item is null)
        {
            heading = "New article";
        }
        else
        {
            status = (await ContentDrafts.StatusesAsync(db, [item], clock, nowUtc, cancellationToken))[item.Id];
            heading = item.Kind == ContentKind.Page ? SitePages.LabelOf(item.Slug) : form.Title ?? "Article";
        }

        var livePath = item is not null && (item.PublishedRevisionId is not null || item.ScheduledRevisionId is not null) ? ContentPublishing.PublicPath(item) : null;
        // From the stored item, not the form: a page's form posts no address.
        return new ContentEditPage(item?.Id, kind, heading, form, status, livePath, images, clock.ZoneName,
            item is not null && ContentPublishing.CanBeUnpublished(item.Kind, item.Slug));
    }
}

/// <summary>One row of the content list.</summary>
public sealed record ContentListRow(int Id, ContentKind Kind, string Label, string Title, string? PublicPath, ContentStatus Status);
