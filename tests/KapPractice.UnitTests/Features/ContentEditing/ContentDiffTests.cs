using KapPractice.Web.Domain;
using KapPractice.Web.Features.ContentEditing;

namespace KapPractice.UnitTests.Features.ContentEditing;

public sealed class ContentDiffTests
{
    private static ContentRevision Revision(string body, string title = "On grief", DateOnly? updated = null) => new()
    {
        Title = title,
        Slug = "on-grief",
        Summary = "About grief.",
        Author = "Dana Rivers",
        Body = body,
        UpdatedOn = updated,
        SavedBy = "dana@example.org",
    };

    [Fact]
    public void A_changed_line_is_one_removed_and_one_added_each_numbered_in_its_own_text()
    {
        var lines = ContentDiff.Lines("one\ntwo\nthree", "one\n2\nthree\nfour");

        Assert.Equal(
            [
                new DiffLine(DiffLineKind.Unchanged, 1, 1, "one"),
                new DiffLine(DiffLineKind.Removed, 2, null, "two"),
                new DiffLine(DiffLineKind.Added, null, 2, "2"),
                new DiffLine(DiffLineKind.Unchanged, 3, 3, "three"),
                new DiffLine(DiffLineKind.Added, null, 4, "four"),
            ],
            lines);
    }

    [Fact]
    public void Windows_line_ends_and_whitespace_are_compared_as_she_sees_them()
    {
        Assert.All(ContentDiff.Lines("a\r\nb", "a\nb"), l => Assert.Equal(DiffLineKind.Unchanged, l.Kind));
        Assert.Contains(ContentDiff.Lines("a\nb", "a\n    b"), l => l.Kind == DiffLineKind.Added && l.Text == "    b");
    }

    [Fact]
    public void Long_unchanged_stretches_are_left_out_around_a_change_with_their_count()
    {
        var before = string.Join('\n', Enumerable.Range(1, 20).Select(i => $"line {i}"));
        var after = before.Replace("line 10", "line ten", StringComparison.Ordinal);

        var comparison = ContentDiff.Compare(Revision(before), Revision(after));

        Assert.Equal((1, 1), (comparison.Added, comparison.Removed));
        Assert.Equal(new DiffLine(DiffLineKind.Skipped, 1, 1, string.Empty, 6), comparison.Lines[0]);
        Assert.Equal(["line 7", "line 8", "line 9", "line 10", "line ten", "line 11", "line 12", "line 13"], comparison.Lines.Skip(1).Take(8).Select(l => l.Text));
        Assert.Equal(new DiffLine(DiffLineKind.Skipped, 14, 14, string.Empty, 7), comparison.Lines[^1]);
    }

    [Fact]
    public void Only_the_details_that_differ_are_listed()
    {
        var fields = ContentDiff.Fields(Revision("x"), Revision("y", title: "On grief and art", updated: new DateOnly(2026, 12, 1)));

        Assert.Equal([new FieldChange("Title", "On grief", "On grief and art"), new FieldChange("Updated on", string.Empty, "2026-12-01")], fields);
        Assert.Empty(ContentDiff.Fields(Revision("x"), Revision("y")));
    }
}
