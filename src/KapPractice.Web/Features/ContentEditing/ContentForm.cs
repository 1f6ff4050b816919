using System.Globalization;
using FluentValidation;
using KapPractice.Web.Domain;
using KapPractice.Web.Features.Content;

namespace KapPractice.Web.Features.ContentEditing;

/// <summary>What the editor's buttons ask for; every one but Preview saves a revision first.</summary>
public enum ContentEditAction
{
    Save,
    Preview,
    Publish,
    Schedule,
}

/// <summary>The editor as posted: the front matter as ordinary fields, and the Markdown text.</summary>
public sealed class ContentForm
{
    public const string DateFormat = "yyyy-MM-dd";
    public const string DateTimeFormat = "yyyy-MM-ddTHH:mm";

    public string? Title { get; set; }
    public string? Slug { get; set; }
    public string? Summary { get; set; }
    public string? Author { get; set; }

    /// <summary>The article's date readers see, YYYY-MM-DD.</summary>
    public string? PublishedOn { get; set; }
    public string? UpdatedOn { get; set; }

    /// <summary>A picture of her library (its key) shown with the article or bio, and in link previews.</summary>
    public string? ImageName { get; set; }
    public string? Body { get; set; }

    /// <summary>When a scheduled publish happens, in the practice's time zone (an HTML datetime-local value).</summary>
    public string? PublishAt { get; set; }

    /// <summary>The revision the form was opened from, so a save over a newer one (another window) is noticed.</summary>
    public int BaseRevision { get; set; }

    public ContentEditAction Action { get; set; }

    public static ContentForm From(ContentRevision revision) => new()
    {
        Title = revision.Title,
        Slug = revision.Slug,
        Summary = revision.Summary,
        Author = revision.Author,
        PublishedOn = revision.PublishedOn?.ToString(DateFormat, CultureInfo.InvariantCulture),
        UpdatedOn = revision.UpdatedOn?.ToString(DateFormat, CultureInfo.InvariantCulture),
        ImageName = revision.ImageName,
        Body = revision.Body,
        BaseRevision = revision.Number,
    };

    /// <summary>Trimmed, with Windows line ends made plain, so a save of unchanged text is unchanged text.</summary>
    public ContentForm Normalized() => new()
    {
        Title = Trim(Title),
        Slug = Trim(Slug)?.ToLowerInvariant(),
        Summary = Trim(Summary),
        Author = Trim(Author),
        PublishedOn = Trim(PublishedOn),
        UpdatedOn = Trim(UpdatedOn),
        ImageName = Trim(ImageName),
        Body = (Body ?? string.Empty).ReplaceLineEndings("\n").TrimEnd(),
        PublishAt = Trim(PublishAt),
        BaseRevision = BaseRevision,
        Action = Action,
    };

    public static DateOnly? ParseDate(string? value) =>
        DateOnly.TryParseExact(value, DateFormat, CultureInfo.InvariantCulture, DateTimeStyles.None, out var date) ? date : null;

    /// <summary>A wall-clock time; years far off (9999, whose conversion to UTC overflows) are not times she means.</summary>
    public static DateTime? ParseLocalDateTime(string? value) =>
        DateTime.TryParseExact(value, DateTimeFormat, CultureInfo.InvariantCulture, DateTimeStyles.None, out var time) && time.Year is >= 2000 and <= 2999 ? time : null;

    private static string? Trim(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}

/// <summary>The editor's rules for one kind of item (an article needs an address, an author and a date; a page does not).</summary>
/// <remarks>
/// Internal, so the start-up scan that registers every public validator (InquiriesSetup) leaves it out: it is made per
/// request for the item's kind, and the container could not build it (Development validates every registration at start).
/// </remarks>
internal sealed class ContentFormValidator : AbstractValidator<ContentForm>
{
    /// <summary>No line break or other control character: these fields are one line of front matter when exported.</summary>
    private static bool SingleLine(string? value) => value is null || !value.Any(char.IsControl);

    public ContentFormValidator(ContentKind kind)
    {
        RuleFor(f => f.Title).NotEmpty().WithMessage("Enter a title")
            .MaximumLength(ContentRevision.TitleLength).WithMessage($"The title can be up to {ContentRevision.TitleLength} characters");
        RuleFor(f => f.Summary).NotEmpty().WithMessage("Enter a summary: one or two sentences for search results and link previews")
            .MaximumLength(ContentRevision.SummaryLength).WithMessage($"The summary can be up to {ContentRevision.SummaryLength} characters");
        RuleFor(f => f.Body).MaximumLength(ContentRevision.BodyLength).WithMessage($"The text can be up to {ContentRevision.BodyLength:N0} characters");
        RuleFor(f => f.Title).Must(SingleLine).WithMessage("The title must be one line");
        RuleFor(f => f.Summary).Must(SingleLine).WithMessage("The summary must be one paragraph, without line breaks");
        RuleFor(f => f.Author).Must(SingleLine).WithMessage("The author must be one line");
        RuleFor(f => f.UpdatedOn).Must(d => d is null || ContentForm.ParseDate(d) is not null).WithMessage("Enter the updated date as YYYY-MM-DD, or leave it empty");
        if (kind == ContentKind.Article)
        {
            RuleFor(f => f.Slug).NotEmpty().WithMessage("Enter the address: the part after /articles/")
                .Must(MarkdownContent.IsValidSlug).When(f => f.Slug is not null)
                .WithMessage($"The address may hold only lower-case letters, digits and single hyphens (for example on-grief-and-art), up to {ContentItem.SlugLength} characters");
            RuleFor(f => f.Author).NotEmpty().WithMessage("Enter the author")
                .MaximumLength(ContentRevision.AuthorLength).WithMessage($"The author can be up to {ContentRevision.AuthorLength} characters");
            RuleFor(f => f.PublishedOn).NotEmpty().WithMessage("Enter the article's date as YYYY-MM-DD")
                .Must(d => ContentForm.ParseDate(d) is not null).When(f => f.PublishedOn is not null).WithMessage("Enter the article's date as YYYY-MM-DD");
        }

        RuleFor(f => f.PublishAt).NotEmpty().When(f => f.Action == ContentEditAction.Schedule).WithMessage("Enter the date and time to publish it")
            .Must(t => ContentForm.ParseLocalDateTime(t) is not null).When(f => f.Action == ContentEditAction.Schedule && f.PublishAt is not null)
            .WithMessage("Enter the date and time to publish it, for example 2026-12-24 09:00");
    }
}
