using KapPractice.Web.Domain;
using KapPractice.Web.Features.Content;

namespace KapPractice.UnitTests.Features.Content;

public sealed class ContentLibraryTests
{
    private static readonly Dictionary<string, ContentPage> Pages = new()
    {
        [SitePages.About] = new("About", "About her.", null, "<p>About</p>"),
        [SitePages.Privacy] = new("Privacy", "Privacy.", null, "<p>Privacy</p>"),
    };

    [Fact]
    public void Articles_are_listed_newest_first()
    {
        var library = new ContentLibrary([Article("older", 2024, 12, 9), Article("newest", 2025, 6, 1), Article("middle", 2025, 1, 15)], Pages);

        Assert.Equal(["newest", "middle", "older"], library.Articles.Select(a => a.Slug));
    }

    [Fact]
    public void Articles_are_found_by_slug_whatever_its_case()
    {
        var library = new ContentLibrary([Article("on-healing", 2024, 12, 9)], Pages);

        Assert.Equal("on-healing", library.Find("on-healing")?.Slug);
        Assert.Equal("on-healing", library.Find("On-Healing")?.Slug);
        Assert.Null(library.Find("no-such-article"));
    }

    [Fact]
    public void Two_articles_with_one_slug_are_refused()
    {
        var error = Assert.Throws<InvalidDataException>(() => new ContentLibrary([Article("same", 2024, 1, 1), Article("same", 2025, 1, 1)], Pages));

        Assert.Contains("same", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Reading_a_folder_finds_its_pages_and_articles_and_marks_drafts()
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

            var entries = ContentFolder.Read(directory);

            Assert.Equal("About Leslie", Assert.Single(entries, e => e.Slug == SitePages.About).File.Title);
            Assert.Equal("Privacy notice", Assert.Single(entries, e => e.Slug == SitePages.Privacy).File.Title);
            Assert.Equal("Fees", Assert.Single(entries, e => e.Slug == SitePages.Fees).File.Title);
            Assert.Equal(["first", "unfinished"], entries.Where(e => e.Kind == ContentKind.Article).Select(e => e.Slug));
            Assert.Equal(["unfinished"], entries.Where(e => e.File.Draft).Select(e => e.Slug));
            Assert.Equal("Text.\n", Assert.Single(entries, e => e.Slug == "first").File.Body);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    private static Article Article(string slug, int year, int month, int day) =>
        new(slug, slug, "Summary", "Author", new DateOnly(year, month, day), null, "<p>Text</p>", 100);
}
