using KapPractice.Web.Features.Content;

namespace KapPractice.UnitTests.Features.Content;

public sealed class MarkdownContentTests
{
    private const string Sample = """
        ---
        title: On Healing
        slug: on-healing
        summary: A short piece.
        author: Leslie Portillo, LCAT, ATR-BC
        published: 2024-12-09
        updated: 2025-02-06
        ---

        An opening paragraph.

        ## 1. A first heading

        Some *emphasis* and a [link](/inquiry).
        """;

    [Fact]
    public void Front_matter_fills_the_article()
    {
        var article = MarkdownContent.ParseArticle(Sample, "on-healing.md");

        Assert.Equal("On Healing", article.Title);
        Assert.Equal("on-healing", article.Slug);
        Assert.Equal("A short piece.", article.Summary);
        Assert.Equal("Leslie Portillo, LCAT, ATR-BC", article.Author);
        Assert.Equal(new DateOnly(2024, 12, 9), article.Published);
        Assert.Equal(new DateOnly(2025, 2, 6), article.Updated);
        Assert.Equal(new DateOnly(2025, 2, 6), article.LastModified);
        Assert.Equal("/articles/on-healing", article.Path);
    }

    [Fact]
    public void Body_is_rendered_as_html_without_the_front_matter()
    {
        var article = MarkdownContent.ParseArticle(Sample, "on-healing.md");

        Assert.Contains("<p>An opening paragraph.</p>", article.Html, StringComparison.Ordinal);
        Assert.Contains(">1. A first heading</h2>", article.Html, StringComparison.Ordinal);
        Assert.Contains("<em>emphasis</em>", article.Html, StringComparison.Ordinal);
        Assert.Contains("<a href=\"/inquiry\">link</a>", article.Html, StringComparison.Ordinal);
        Assert.DoesNotContain("published", article.Html, StringComparison.Ordinal);
    }

    [Fact]
    public void Notes_in_html_comments_stay_out_of_the_page_and_the_word_count()
    {
        var article = MarkdownContent.ParseArticle(Sample + "\n\n<!-- For Leslie: fill this in later please -->\n", "on-healing.md");

        Assert.DoesNotContain("For Leslie", article.Html, StringComparison.Ordinal);
        Assert.Equal(MarkdownContent.ParseArticle(Sample, "on-healing.md").WordCount, article.WordCount);
    }

    [Fact]
    public void A_level_one_heading_in_the_body_becomes_h2_so_the_title_stays_the_only_h1()
    {
        var article = MarkdownContent.ParseArticle(Sample + "\n\n# Another top heading\n", "on-healing.md");

        Assert.DoesNotContain("<h1", article.Html, StringComparison.Ordinal);
        Assert.Contains(">Another top heading</h2>", article.Html, StringComparison.Ordinal);
    }

    [Fact]
    public void Words_are_counted_from_the_text_not_the_markup()
    {
        var article = MarkdownContent.ParseArticle(Sample, "on-healing.md");

        // "An opening paragraph." 3 + "1. A first heading" 4 + "Some emphasis and a link." 5
        Assert.Equal(12, article.WordCount);
    }

    [Theory]
    [InlineData(0, 1)]
    [InlineData(1, 1)]
    [InlineData(220, 1)]
    [InlineData(221, 2)]
    [InlineData(660, 3)]
    [InlineData(837, 4)]
    public void Reading_time_rounds_up_at_220_words_a_minute(int words, int minutes) =>
        Assert.Equal(minutes, MarkdownContent.ReadingMinutes(words));

    [Fact]
    public void Reading_time_of_an_article_comes_from_its_words()
    {
        var body = string.Join(' ', Enumerable.Repeat("calm", 450));
        var article = MarkdownContent.ParseArticle(Sample + "\n\n" + body + "\n", "on-healing.md");

        Assert.Equal(462, article.WordCount);
        Assert.Equal(3, article.ReadingMinutes);
    }

    [Fact]
    public void Contractions_and_hyphenated_words_count_once() =>
        Assert.Equal(5, MarkdownContent.CountWords("it’s treatment-resistant, don't — stop 2024"));

    [Fact]
    public void Slug_defaults_to_the_file_name_and_updated_is_optional()
    {
        var article = MarkdownContent.ParseArticle("""
            ---
            title: T
            summary: S
            author: A
            published: 2025-01-02
            ---
            Text.
            """, "from-the-file-name.md");

        Assert.Equal("from-the-file-name", article.Slug);
        Assert.Null(article.Updated);
        Assert.Equal(new DateOnly(2025, 1, 2), article.LastModified);
    }

    [Theory]
    [InlineData("title: T\nsummary: S\npublished: 2025-01-02", "'author'")]
    [InlineData("title: T\nsummary: S\nauthor: A", "'published'")]
    [InlineData("title: T\nsummary: S\nauthor: A\npublished: 9 Dec 2024", "YYYY-MM-DD")]
    [InlineData("title: T\nsummary: S\nauthor: A\npublished: 2025-01-02\nslug: Not A Slug", "slug")]
    [InlineData("title: [unclosed\nsummary: S", "YAML")]
    public void Broken_front_matter_is_reported_with_the_file_name(string frontMatter, string expected)
    {
        var error = Assert.Throws<InvalidDataException>(() => MarkdownContent.ParseArticle($"---\n{frontMatter}\n---\nText.\n", "broken.md"));

        Assert.StartsWith("broken.md:", error.Message, StringComparison.Ordinal);
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_file_without_front_matter_is_refused()
    {
        var error = Assert.Throws<InvalidDataException>(() => MarkdownContent.ParsePage("# Just text\n", "about.md"));

        Assert.Contains("front matter", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Page_takes_title_and_summary()
    {
        var page = MarkdownContent.ParsePage("---\ntitle: Privacy notice\nsummary: What we keep.\n---\n\n## Who sees it\n\nOnly her.\n", "privacy.md");

        Assert.Equal("Privacy notice", page.Title);
        Assert.Equal("What we keep.", page.Summary);
        Assert.Null(page.Updated);
        Assert.Contains("<p>Only her.</p>", page.Html, StringComparison.Ordinal);
    }

    [Fact]
    public void Draft_articles_are_recognised()
    {
        Assert.True(MarkdownContent.IsDraft("---\ntitle: T\ndraft: true\n---\n", "d.md"));
        Assert.False(MarkdownContent.IsDraft(Sample, "on-healing.md"));
    }
}
