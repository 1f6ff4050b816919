using System.Globalization;
using System.Text.Json.Nodes;
using KapPractice.Web.Features.Content;

namespace KapPractice.Web.Features.Seo;

/// <summary>schema.org descriptions for search engines, serialized by System.Text.Json (which escapes &lt; so a script block cannot be closed early).</summary>
public static class JsonLd
{
    public const string PractitionerName = "Leslie Portillo";

    /// <param name="imagePath">Her bio photo, as a path on this site; null without one.</param>
    public static string ForPerson(string baseUrl, string email, string? imagePath = null)
    {
        var person = Person(baseUrl, email);
        if (imagePath is not null)
        {
            person["image"] = baseUrl + imagePath;
        }

        return WithContext(person).ToJsonString();
    }

    public static string ForArticle(Article article, string baseUrl, string email)
    {
        ArgumentNullException.ThrowIfNull(article);
        var url = baseUrl + article.Path;
        var node = new JsonObject
        {
            ["@type"] = "Article",
            ["headline"] = article.Title,
            ["description"] = article.Summary,
            ["datePublished"] = IsoDate(article.Published),
            ["dateModified"] = IsoDate(article.LastModified),
            ["wordCount"] = article.WordCount,
            ["inLanguage"] = "en",
            ["url"] = url,
            ["mainEntityOfPage"] = new JsonObject { ["@type"] = "WebPage", ["@id"] = url },
            ["author"] = Person(baseUrl, email),
        };
        if (article.Image is { } image)
        {
            node["image"] = baseUrl + image.Src;
        }

        return WithContext(node).ToJsonString();
    }

    private static JsonObject Person(string baseUrl, string email) => new()
    {
        ["@type"] = "Person",
        ["name"] = PractitionerName,
        ["honorificSuffix"] = "LCAT, ATR-BC, MA",
        ["jobTitle"] = "Licensed Creative Arts Therapist",
        ["email"] = "mailto:" + email,
        ["url"] = baseUrl + "/about",
        ["knowsAbout"] = new JsonArray("Ketamine-assisted psychotherapy", "Creative arts therapy", "Art therapy"),
        ["hasCredential"] = new JsonArray(
            Credential("Licensed Creative Arts Therapist (LCAT)", "license"),
            Credential("Registered, Board Certified Art Therapist (ATR-BC)", "certification"),
            Credential("Master of Arts (MA)", "degree")),
    };

    private static JsonObject Credential(string name, string category) => new()
    {
        ["@type"] = "EducationalOccupationalCredential",
        ["name"] = name,
        ["credentialCategory"] = category,
    };

    private static JsonObject WithContext(JsonObject node)
    {
        var result = new JsonObject { ["@context"] = "https://schema.org" };
        foreach (var (key, value) in node.ToList())
        {
            node.Remove(key);
            result[key] = value;
        }

        return result;
    }

    private static string IsoDate(DateOnly date) => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}
