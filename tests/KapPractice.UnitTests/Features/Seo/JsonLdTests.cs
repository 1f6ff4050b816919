using System.Text.Json;
using KapPractice.Web.Features.Content;
using KapPractice.Web.Features.Seo;

namespace KapPractice.UnitTests.Features.Seo;

public sealed class JsonLdTests
{
    [Fact]
    public void Markup_in_a_title_cannot_close_the_script_element()
    {
        var article = new Article("x", "Beware </script><script>alert(1)</script>", "S", "A", new DateOnly(2024, 12, 9), null, "", 1);

        var json = JsonLd.ForArticle(article, "https://example.org", "leslie@example.org");

        Assert.DoesNotContain("<", json, StringComparison.Ordinal);
        using var parsed = JsonDocument.Parse(json);
        Assert.Equal("Beware </script><script>alert(1)</script>", parsed.RootElement.GetProperty("headline").GetString());
    }

    [Fact]
    public void Article_without_an_update_is_modified_on_its_publication_date()
    {
        var article = new Article("x", "T", "S", "A", new DateOnly(2024, 12, 9), null, "", 1);

        using var parsed = JsonDocument.Parse(JsonLd.ForArticle(article, "https://example.org", "leslie@example.org"));

        Assert.Equal("Article", parsed.RootElement.GetProperty("@type").GetString());
        Assert.Equal("2024-12-09", parsed.RootElement.GetProperty("dateModified").GetString());
        Assert.Equal("https://example.org/articles/x", parsed.RootElement.GetProperty("url").GetString());
    }

    [Fact]
    public void Person_lists_her_three_credentials()
    {
        using var parsed = JsonDocument.Parse(JsonLd.ForPerson("https://example.org", "leslie@example.org"));

        var person = parsed.RootElement;
        Assert.Equal("https://schema.org", person.GetProperty("@context").GetString());
        Assert.Equal("Person", person.GetProperty("@type").GetString());
        Assert.Equal(
            ["Licensed Creative Arts Therapist (LCAT)", "Registered, Board Certified Art Therapist (ATR-BC)", "Master of Arts (MA)"],
            person.GetProperty("hasCredential").EnumerateArray().Select(c => c.GetProperty("name").GetString()));
        Assert.Equal("https://example.org/about", person.GetProperty("url").GetString());
    }
}
