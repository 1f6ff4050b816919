using System.Globalization;
using DiffPlex.DiffBuilder;
using DiffPlex.DiffBuilder.Model;
using KapPractice.Web.Domain;

namespace KapPractice.Web.Features.ContentEditing;

/// <summary>How one line of a compared Markdown text changed; <see cref="Skipped"/> stands for a run of unchanged lines left out.</summary>
public enum DiffLineKind
{
    Unchanged,
    Added,
    Removed,
    Skipped,
}

/// <summary>
/// One line of the comparison: its number in the older and in the newer text (none where it is not in that text), or,
/// for <see cref="DiffLineKind.Skipped"/>, how many unchanged lines it stands for in <see cref="Count"/>.
/// </summary>
public sealed record DiffLine(DiffLineKind Kind, int? FromNumber, int? ToNumber, string Text, int Count = 1);

/// <summary>A front-matter field whose value differs between the two revisions (an empty value is shown as such).</summary>
public sealed record FieldChange(string Label, string From, string To);

/// <summary>What changed from one revision to another: the fields, then the Markdown text line by line.</summary>
public sealed record ContentComparison(IReadOnlyList<FieldChange> Fields, IReadOnlyList<DiffLine> Lines, int Added, int Removed)
{
    public bool BodyChanged => Added > 0 || Removed > 0;
}

/// <summary>Compares two revisions for the history's compare page (DiffPlex does the line diff).</summary>
public static class ContentDiff
{
    /// <summary>Unchanged lines kept around each change, so a one-word fix in a long article reads as a few lines.</summary>
    public const int Context = 3;

    public static ContentComparison Compare(ContentRevision from, ContentRevision to)
    {
        ArgumentNullException.ThrowIfNull(from);
        ArgumentNullException.ThrowIfNull(to);
        var lines = Lines(from.Body, to.Body);
        return new ContentComparison(
            Fields(from, to),
            Collapse(lines),
            lines.Count(l => l.Kind == DiffLineKind.Added),
            lines.Count(l => l.Kind == DiffLineKind.Removed));
    }

    /// <summary>Every line of both texts in reading order: unchanged, removed (from the older) or added (in the newer).</summary>
    public static IReadOnlyList<DiffLine> Lines(string from, string to)
    {
        // Whitespace counts: in Markdown an indent or a trailing double space changes what is shown.
        var model = InlineDiffBuilder.Diff(Plain(from), Plain(to), ignoreWhiteSpace: false, ignoreCase: false);
        var lines = new List<DiffLine>(model.Lines.Count);
        int fromNumber = 0, toNumber = 0;
        foreach (var piece in model.Lines)
        {
            switch (piece.Type)
            {
                case ChangeType.Deleted:
                    lines.Add(new DiffLine(DiffLineKind.Removed, ++fromNumber, null, piece.Text ?? string.Empty));
                    break;
                case ChangeType.Inserted:
                    lines.Add(new DiffLine(DiffLineKind.Added, null, ++toNumber, piece.Text ?? string.Empty));
                    break;
                case ChangeType.Imaginary:
                    break;
                default:
                    lines.Add(new DiffLine(DiffLineKind.Unchanged, ++fromNumber, ++toNumber, piece.Text ?? string.Empty));
                    break;
            }
        }

        return lines;
    }

    /// <summary>The front matter that differs, by the editor's field names.</summary>
    public static IReadOnlyList<FieldChange> Fields(ContentRevision from, ContentRevision to)
    {
        ArgumentNullException.ThrowIfNull(from);
        ArgumentNullException.ThrowIfNull(to);
        var fields = new (string Label, string? From, string? To)[]
        {
            ("Title", from.Title, to.Title),
            ("Address", from.Slug, to.Slug),
            ("Summary", from.Summary, to.Summary),
            ("Author", from.Author, to.Author),
            ("Published on", Date(from.PublishedOn), Date(to.PublishedOn)),
            ("Updated on", Date(from.UpdatedOn), Date(to.UpdatedOn)),
            ("Image", from.ImageName, to.ImageName),
        };
        return [.. fields
            .Where(f => !string.Equals(f.From ?? string.Empty, f.To ?? string.Empty, StringComparison.Ordinal))
            .Select(f => new FieldChange(f.Label, f.From ?? string.Empty, f.To ?? string.Empty))];
    }

    /// <summary>Keeps <see cref="Context"/> unchanged lines either side of each change; longer unchanged runs become one skipped line.</summary>
    private static List<DiffLine> Collapse(IReadOnlyList<DiffLine> lines)
    {
        var keep = new bool[lines.Count];
        for (var i = 0; i < lines.Count; i++)
        {
            if (lines[i].Kind != DiffLineKind.Unchanged)
            {
                for (var j = Math.Max(0, i - Context); j <= Math.Min(lines.Count - 1, i + Context); j++)
                {
                    keep[j] = true;
                }
            }
        }

        var shown = new List<DiffLine>();
        var i0 = 0;
        while (i0 < lines.Count)
        {
            if (keep[i0])
            {
                shown.Add(lines[i0++]);
                continue;
            }

            var start = i0;
            while (i0 < lines.Count && !keep[i0])
            {
                i0++;
            }

            var count = i0 - start;
            // Hiding a single line saves nothing: show it.
            if (count == 1)
            {
                shown.Add(lines[start]);
            }
            else
            {
                shown.Add(new DiffLine(DiffLineKind.Skipped, lines[start].FromNumber, lines[start].ToNumber, string.Empty, count));
            }
        }

        return shown;
    }

    private static string Plain(string? text) => (text ?? string.Empty).ReplaceLineEndings("\n");

    private static string? Date(DateOnly? date) => date?.ToString(ContentForm.DateFormat, CultureInfo.InvariantCulture);
}
