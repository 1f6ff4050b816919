using KapPractice.Web.Domain;
using KapPractice.Web.Features.Content;
using KapPractice.Web.Infrastructure;
using KapPractice.Web.Infrastructure.Data;
using Microsoft.EntityFrameworkCore;

namespace KapPractice.Web.Features.ContentEditing;

/// <summary>What the editor checks before it saves, previews or publishes a page or article.</summary>
public static class ContentEditChecks
{
    /// <summary>
    /// Each problem with <paramref name="posted"/> as the field it belongs to and a message for her: the form's own
    /// rules, an address another article has, a picture gone from the library, Markdown that cannot be shown, a
    /// placeholder left in a text being published, a schedule in the past. Empty when it may go on.
    /// </summary>
    public static async Task<IReadOnlyList<(string Field, string Message)>> ProblemsAsync(
        KapDbContext db, PracticeClock clock, DateTime nowUtc, ContentItem item, ContentForm posted, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(clock);
        ArgumentNullException.ThrowIfNull(item);
        ArgumentNullException.ThrowIfNull(posted);
        var result = await new ContentFormValidator(item.Kind).ValidateAsync(posted, cancellationToken);
        var problems = result.Errors.Select(e => (e.PropertyName, e.ErrorMessage)).ToList();
        if (item.Kind == ContentKind.Article && posted.Slug is { } slug && MarkdownContent.IsValidSlug(slug)
            && await ContentPublishing.AddressProblemAsync(db, item.Id, slug, cancellationToken) is { } problem)
        {
            problems.Add((nameof(ContentForm.Slug), problem));
        }

        if (posted.ImageName is { } image && !await db.ContentImages.AnyAsync(i => i.Key == image, cancellationToken))
        {
            problems.Add((nameof(ContentForm.ImageName), "That picture is no longer in your library. Choose another, or none."));
        }

        var check = ContentRenderer.Render(posted.Body ?? string.Empty);
        if (check.Problem is not null)
        {
            problems.Add((nameof(ContentForm.Body), check.Problem));
        }
        else if (posted.Action is ContentEditAction.Publish or ContentEditAction.Schedule && check.Placeholders.Count > 0)
        {
            problems.Add((nameof(ContentForm.Body),
                $"It cannot be published while the text holds a placeholder in square brackets: {string.Join(", ", check.Placeholders)}. Fill it in or delete it (or save it as a draft for now)."));
        }

        if (posted.Action == ContentEditAction.Schedule && ContentForm.ParseLocalDateTime(posted.PublishAt) is { } local && clock.ToUtc(local) <= nowUtc)
        {
            problems.Add((nameof(ContentForm.PublishAt), "Choose a time in the future, or use Publish now."));
        }

        return problems;
    }
}
