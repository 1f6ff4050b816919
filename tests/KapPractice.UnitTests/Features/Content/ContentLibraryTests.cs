using KapPractice.Web.Features.Content;

namespace KapPractice.UnitTests.Features.Content;

public sealed class ContentLibraryTests
{
    private static readonly ContentPage About = new("About", "About her.", null, "<p>About</p>");
    private static readonly ContentPage Privacy = new("Privacy", "Privacy.", null, "<p>Privacy</p>");
    private static readonly ContentPage Fees = new("Fees", "Fees.", null, "<p>Fees</p>");

    [Fact]
    public void Articles_are_listed_newest_first()
    {
        var library = new ContentLibrary([Article("older", 2024, 12, 9), Article("newest", 2025, 6, 1), Article("middle", 2025, 1, 15)], About, Privacy, Fees);

        Assert.Equal(["newest", "middle", "older"], library.Articles.Select(a => a.Slug));
    }

    [Fact]
    public void Articles_are_found_by_slug_whatever_its_case()
    {
        var library = new ContentLibrary([Article("on-healing", 2024, 12, 9)], About, Privacy, Fees);

        Assert.Equal("on-healing", library.Find("on-healing")?.Slug);
        Assert.Equal("on-healing", library.Find("On-Healing")?.Slug);
        Assert.Null(library.Find("no-such-article"));
    }

    [Fact]
    public void Two_articles_with_one_slug_are_refused()
    {
        var error = Assert.Throws<InvalidDataException>(() => new ContentLibrary([Article("same", 2024, 1, 1), Article("same", 2025, 1, 1)], About, Privacy, Fees));

        Assert.Contains("same", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Loading_a_folder_reads_articles_pages_and_leaves_out_drafts()
    {
        var directory = Directory.CreateTempSubdirectory("kap-content-").FullName;
        try
        {
            Directory.CreateDirectory(Path.Combine(directory, "articles"));
            File.WriteAllText(Path.Combine(directory, "about.md"), "---\ntitle: About Leslie\nsummary: Her bio.\n---\nBio.\n");
            File.WriteAllText(Path.Combine(directory, "privacy.md"), "---\ntitle: Privacy notice\nsummary: Privacy.\n---\nText.\n");
            File.WriteAllText(Path.Combine(directory, "fees.md"), "---\ntitle: Fees\nsummary: What sessions cost.\n---\nText.\n");
            File.WriteAllText(Path.Combine(directory, "articles", "first.md"), "---\ntitle: First\nsummary: S\nauthor: A\npublished: 2024-12-09\n---\nText.\n");
            File.WriteAllText(Path.Combine(directory, "articles", "unfinished.md"), "---\ntitle: Not yet\nsummary: S\nauthor: A\npublished: 2025-12-09\ndraft: true\n---\nText.\n");

            var library = ContentLibrary.Load(directory);

            Assert.Equal("About Leslie", library.About.Title);
            Assert.Equal("Privacy notice", library.Privacy.Title);
            Assert.Equal("Fees", library.Fees.Title);
            Assert.Equal(["first"], library.Articles.Select(a => a.Slug));
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    private static Article Article(string slug, int year, int month, int day) =>
        new(slug, slug, "Summary", "Author", new DateOnly(year, month, day), null, "<p>Text</p>", 100);
}
