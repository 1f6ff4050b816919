using System.Net;
using System.Text.Json;
using System.Xml.Linq;
using AngleSharp.Dom;
using KapPractice.Web.Infrastructure;
using Microsoft.AspNetCore.Mvc.Controllers;
using Microsoft.AspNetCore.Mvc.ModelBinding;
using Microsoft.AspNetCore.OutputCaching;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace KapPractice.IntegrationTests;

[Collection(SharedPublicApp.Name)]
public sealed class PublicSiteTests(KapPracticeFactory factory) : IAsyncLifetime
{
    public Task InitializeAsync() => factory.ResetAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    private const string ArticlePath = "/articles/5-benefits-of-ketamine-assisted-psychotherapy";

    public static TheoryData<string> PublicPages => ["/", "/articles", ArticlePath, "/about", "/privacy", "/fees"];

    [Theory]
    [MemberData(nameof(PublicPages))]
    public async Task Every_public_page_has_one_h1_and_the_crisis_notice_in_the_footer(string path)
    {
        var page = await factory.CreateClient().GetDocumentAsync(path);

        Assert.Single(page.QuerySelectorAll("h1"));
        AssertCrisisNotice(page);
        Assert.NotNull(page.QuerySelector("a.skip-link[href='#main']"));
        Assert.NotNull(page.QuerySelector("main#main"));
        Assert.NotNull(page.QuerySelector("header nav"));
    }

    [Theory]
    [MemberData(nameof(PublicPages))]
    public async Task Every_public_page_has_a_title_description_canonical_link_and_open_graph_tags(string path)
    {
        var page = await factory.CreateClient().GetDocumentAsync(path);

        Assert.EndsWith("| Leslie Portillo, LCAT, ATR-BC", page.Title, StringComparison.Ordinal);
        Assert.False(string.IsNullOrWhiteSpace(Meta(page, "meta[name=description]")));
        Assert.Equal("http://localhost" + path, page.QuerySelector("link[rel=canonical]")?.GetAttribute("href"));
        Assert.Equal("http://localhost" + path, Meta(page, "meta[property='og:url']"));
        Assert.False(string.IsNullOrWhiteSpace(Meta(page, "meta[property='og:title']")));
        Assert.False(string.IsNullOrWhiteSpace(Meta(page, "meta[property='og:description']")));
        Assert.False(string.IsNullOrWhiteSpace(Meta(page, "meta[property='og:type']")));
    }

    [Fact]
    public async Task Article_shows_the_whole_text_with_its_five_benefits_as_headings()
    {
        var page = await factory.CreateClient().GetDocumentAsync(ArticlePath);

        Assert.Equal("5 Benefits of Ketamine-Assisted Psychotherapy", page.QuerySelector("h1")!.TextContent.Trim());
        var headings = page.QuerySelectorAll("main h2").Select(h => h.TextContent.Trim()).ToList();
        Assert.Equal(
            [
                "1. Rapid Relief from Symptoms",
                "2. Enhanced Therapeutic Engagement",
                "3. Reduction of Negative Thought Patterns",
                "4. Improved Emotional Regulation",
                "5. Support for Treatment-Resistant Disorders",
                "Conclusion: A Promising Path to Healing",
                "Want to learn more?",
            ],
            headings);
        var text = page.QuerySelector("article")!.TextContent;
        Assert.Contains("Ketamine, a medication traditionally used as an anesthetic", text, StringComparison.Ordinal);
        Assert.Contains("Here are five key benefits of ketamine-assisted psychotherapy:", text, StringComparison.Ordinal);
        Assert.Contains("which can then be reinforced through psychotherapy", text, StringComparison.Ordinal);
        Assert.Contains("may be worth exploring as part of a comprehensive treatment plan.", text, StringComparison.Ordinal);
        Assert.Equal(13, page.QuerySelectorAll("article p").Count(p => p.ParentElement?.ClassName != "cta" && p.ClassName != "byline"));
    }

    [Fact]
    public async Task Article_ends_with_the_call_to_action_her_contact_line_and_a_link_to_the_inquiry_form()
    {
        var page = await factory.CreateClient().GetDocumentAsync(ArticlePath);

        var cta = page.QuerySelector("article .cta")!;
        Assert.Contains("My name is Leslie Portillo, LCAT, ATR-BC, MA (she/they) and I am dedicated to guiding you on your healing journey.", cta.TextContent, StringComparison.Ordinal);
        Assert.Contains("for more information regarding KAP and eligibility", cta.TextContent, StringComparison.Ordinal);
        Assert.NotNull(cta.QuerySelector("a[href='mailto:leslie@intuitivecreativeartstherapy.com']"));
        Assert.NotNull(cta.QuerySelector("a[href='/inquiry']"));
    }

    [Fact]
    public async Task Article_shows_author_published_and_updated_dates_and_reading_time()
    {
        var page = await factory.CreateClient().GetDocumentAsync(ArticlePath);

        var byline = page.QuerySelector("article .byline")!;
        Assert.Contains("By Leslie Portillo, LCAT, ATR-BC", byline.TextContent, StringComparison.Ordinal);
        var times = byline.QuerySelectorAll("time").Select(t => (t.GetAttribute("datetime"), t.TextContent)).ToList();
        Assert.Equal([("2024-12-09", "December 9, 2024"), ("2025-02-06", "February 6, 2025")], times);
        Assert.Contains("Published December 9, 2024", byline.TextContent, StringComparison.Ordinal);
        Assert.Contains("Updated February 6, 2025", byline.TextContent, StringComparison.Ordinal);
        Assert.Matches(@"^[3-5] min read$", byline.QuerySelector(".reading-time")!.TextContent);
    }

    [Fact]
    public async Task Article_describes_itself_as_a_schema_org_article_by_a_credentialed_person()
    {
        var page = await factory.CreateClient().GetDocumentAsync(ArticlePath);

        Assert.Equal("article", Meta(page, "meta[property='og:type']"));
        using var json = JsonLdOf(page);
        var root = json.RootElement;
        Assert.Equal("https://schema.org", root.GetProperty("@context").GetString());
        Assert.Equal("Article", root.GetProperty("@type").GetString());
        Assert.Equal("5 Benefits of Ketamine-Assisted Psychotherapy", root.GetProperty("headline").GetString());
        Assert.Equal("2024-12-09", root.GetProperty("datePublished").GetString());
        Assert.Equal("2025-02-06", root.GetProperty("dateModified").GetString());
        var author = root.GetProperty("author");
        Assert.Equal("Person", author.GetProperty("@type").GetString());
        Assert.Equal("Leslie Portillo", author.GetProperty("name").GetString());
        Assert.Equal("http://localhost" + ArticlePath, root.GetProperty("url").GetString());
    }

    [Theory]
    [InlineData("/")]
    [InlineData("/about")]
    public async Task Home_and_about_describe_the_practitioner_as_a_person_with_credentials(string path)
    {
        var page = await factory.CreateClient().GetDocumentAsync(path);

        using var json = JsonLdOf(page);
        var person = json.RootElement;
        Assert.Equal("Person", person.GetProperty("@type").GetString());
        Assert.Equal("Leslie Portillo", person.GetProperty("name").GetString());
        Assert.Equal("LCAT, ATR-BC, MA", person.GetProperty("honorificSuffix").GetString());
        Assert.Equal("Licensed Creative Arts Therapist", person.GetProperty("jobTitle").GetString());
        var credentials = person.GetProperty("hasCredential").EnumerateArray().Select(c => c.GetProperty("name").GetString()).ToList();
        Assert.Contains("Registered, Board Certified Art Therapist (ATR-BC)", credentials);
    }

    [Fact]
    public async Task Articles_index_lists_the_article_with_its_dates_and_summary()
    {
        var page = await factory.CreateClient().GetDocumentAsync("/articles");

        var item = Assert.Single(page.QuerySelectorAll(".article-list > li"));
        Assert.Equal(ArticlePath, item.QuerySelector("h2 a")!.GetAttribute("href"));
        Assert.Equal("5 Benefits of Ketamine-Assisted Psychotherapy", item.QuerySelector("h2 a")!.TextContent);
        Assert.NotNull(item.QuerySelector("time[datetime='2024-12-09']"));
    }

    [Fact]
    public async Task Home_page_introduces_her_explains_kap_and_links_to_the_article_bio_and_form()
    {
        var page = await factory.CreateClient().GetDocumentAsync("/");

        var main = page.QuerySelector("main")!;
        Assert.Contains("Leslie Portillo, LCAT, ATR-BC, MA (she/they)", main.TextContent, StringComparison.Ordinal);
        Assert.Contains("Known as ketamine-assisted psychotherapy (KAP), this innovative approach leverages the powerful therapeutic effects of ketamine to enhance traditional talk therapy.", main.TextContent, StringComparison.Ordinal);
        var links = main.QuerySelectorAll("a").Select(a => a.GetAttribute("href")).ToList();
        Assert.Contains(ArticlePath, links);
        Assert.Contains("/about", links);
        Assert.Contains("/inquiry", links);
    }

    [Fact]
    public async Task About_page_explains_her_credentials_pronouns_and_contact_without_notes_meant_for_her()
    {
        var client = factory.CreateClient();
        using var response = await client.GetAsync(new Uri("/about", UriKind.Relative));
        var html = await response.Content.ReadAsStringAsync();
        var page = await Html.ParseAsync(response);

        var main = page.QuerySelector("main")!.TextContent;
        Assert.Contains("Licensed Creative Arts Therapist", main, StringComparison.Ordinal);
        Assert.Contains("Registered, Board Certified Art Therapist", main, StringComparison.Ordinal);
        Assert.Contains("she/they", main, StringComparison.Ordinal);
        Assert.Contains("dedicated to guiding you on your healing journey", main, StringComparison.Ordinal);
        Assert.NotNull(page.QuerySelector("main a[href='mailto:leslie@intuitivecreativeartstherapy.com']"));
        Assert.NotNull(page.QuerySelector("main a[href='/inquiry']"));
        Assert.DoesNotContain("For Leslie", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Privacy_notice_says_the_prescriber_may_receive_a_summary_and_nobody_else_sees_the_inquiry()
    {
        var page = await factory.CreateClient().GetDocumentAsync("/privacy");

        var heading = page.QuerySelectorAll("main h2").Single(h => h.TextContent == "Who sees it");
        var section = string.Concat(Following(heading).TakeWhile(e => e.LocalName != "h2").Select(e => e.TextContent));
        Assert.Contains("summary of your answers with the prescriber who does that evaluation", section, StringComparison.Ordinal);
        Assert.Contains("with your knowledge", section, StringComparison.Ordinal);
        Assert.Contains("Nobody else sees your inquiry", section, StringComparison.Ordinal);
        Assert.DoesNotContain("Only Leslie Portillo sees", section, StringComparison.Ordinal);

        static IEnumerable<IElement> Following(IElement element)
        {
            for (var next = element.NextElementSibling; next is not null; next = next.NextElementSibling)
            {
                yield return next;
            }
        }
    }

    [Fact]
    public async Task Privacy_notice_says_what_is_collected_why_who_sees_it_how_long_and_how_to_delete_it()
    {
        var page = await factory.CreateClient().GetDocumentAsync("/privacy");

        var headings = page.QuerySelectorAll("main h2").Select(h => h.TextContent).ToList();
        Assert.Contains("What the form collects", headings);
        Assert.Contains("Why", headings);
        Assert.Contains("Who sees it", headings);
        Assert.Contains("How long it is kept", headings);
        Assert.Contains("Asking for your information to be deleted", headings);
        var text = page.QuerySelector("main")!.TextContent;
        Assert.Contains("365 days", text, StringComparison.Ordinal);
        Assert.Contains("no analytics", text, StringComparison.Ordinal);
        Assert.Contains("not for emergencies", text, StringComparison.Ordinal);
        Assert.NotNull(page.QuerySelector("main a[href='mailto:leslie@intuitivecreativeartstherapy.com']"));
    }

    [Fact]
    public async Task Fees_page_keeps_the_good_faith_estimate_notice_with_its_links()
    {
        var page = await factory.CreateClient().GetDocumentAsync("/fees");
        var text = page.QuerySelector("main")!.TextContent;

        Assert.Equal("Fees", page.QuerySelector("h1")!.TextContent);
        // The fees themselves are placeholders for the practitioner to replace; only the federal notice must stay.
        Assert.Equal("Your right to a Good Faith Estimate", page.QuerySelector("#your-right-to-a-good-faith-estimate")?.TextContent);
        Assert.Contains("who don't have insurance or who are not using insurance", text, StringComparison.Ordinal);
        Assert.Contains("before you schedule an item or service", text, StringComparison.Ordinal);
        Assert.Contains("at least $400 more than your Good Faith Estimate, you can dispute the bill", text, StringComparison.Ordinal);
        Assert.Contains("You have the right to receive a \"Good Faith Estimate\" explaining how much your medical care will cost.", text, StringComparison.Ordinal);
        Assert.Contains("at least 1 business day before your medical service or item", text, StringComparison.Ordinal);
        Assert.Contains("save a copy or picture of your Good Faith Estimate", text, StringComparison.Ordinal);
        Assert.NotNull(page.QuerySelector("main a[href='https://www.cms.gov/nosurprises']"));
        Assert.Equal("1-800-985-3059", page.QuerySelector("main a[href='tel:+18009853059']")?.TextContent);
        Assert.DoesNotContain("For Leslie", page.DocumentElement.OuterHtml, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/", "footer")]
    [InlineData("/about", "footer")]
    [InlineData("/inquiry", "footer")]
    [InlineData("/inquiry", "main")]
    public async Task The_fees_page_is_linked_from_every_footer_and_from_the_form(string path, string where)
    {
        var page = await factory.CreateClient().GetDocumentAsync(path);

        Assert.NotNull(page.QuerySelector($"{where} a[href='/fees']"));
    }

    [Fact]
    public async Task Sitemap_lists_every_public_page_and_the_article_with_its_last_change()
    {
        using var response = await factory.CreateClient().GetAsync(new Uri("/sitemap.xml", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/xml", response.Content.Headers.ContentType?.MediaType);
        XNamespace ns = "http://www.sitemaps.org/schemas/sitemap/0.9";
        var urls = XDocument.Parse(await response.Content.ReadAsStringAsync()).Root!.Elements(ns + "url")
            .ToDictionary(u => u.Element(ns + "loc")!.Value, u => u.Element(ns + "lastmod")?.Value);
        Assert.Equal(
            ["http://localhost/", "http://localhost/articles", "http://localhost" + ArticlePath, "http://localhost/about", "http://localhost/privacy", "http://localhost/fees", "http://localhost/inquiry"],
            urls.Keys);
        Assert.Equal("2025-02-06", urls["http://localhost" + ArticlePath]);
    }

    [Fact]
    public async Task Feed_is_an_atom_feed_with_the_article()
    {
        using var response = await factory.CreateClient().GetAsync(new Uri("/feed.xml", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/atom+xml", response.Content.Headers.ContentType?.MediaType);
        XNamespace atom = "http://www.w3.org/2005/Atom";
        var entry = Assert.Single(XDocument.Parse(await response.Content.ReadAsStringAsync()).Root!.Elements(atom + "entry"));
        Assert.Equal("5 Benefits of Ketamine-Assisted Psychotherapy", entry.Element(atom + "title")!.Value);
        Assert.Equal("http://localhost" + ArticlePath, entry.Element(atom + "link")!.Attribute("href")!.Value);
        Assert.Equal("2024-12-09T00:00:00Z", entry.Element(atom + "published")!.Value);
        Assert.Equal("2025-02-06T00:00:00Z", entry.Element(atom + "updated")!.Value);
        Assert.Contains("1. Rapid Relief from Symptoms", entry.Element(atom + "content")!.Value, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Robots_txt_keeps_crawlers_out_of_admin_and_points_to_the_sitemap()
    {
        var text = await factory.CreateClient().GetStringAsync(new Uri("/robots.txt", UriKind.Relative));

        var lines = text.Split('\n', StringSplitOptions.TrimEntries);
        Assert.Contains("User-agent: *", lines);
        Assert.Contains("Disallow: /admin", lines);
        Assert.Contains("Sitemap: http://localhost/sitemap.xml", lines);
    }

    [Theory]
    [InlineData("/no-such-page")]
    [InlineData("/articles/no-such-article")]
    public async Task Unknown_paths_and_article_slugs_return_the_404_page(string path)
    {
        var page = await factory.CreateClient().GetDocumentAsync(path, HttpStatusCode.NotFound);

        Assert.Equal("Page not found", page.QuerySelector("h1")!.TextContent);
        Assert.Equal("noindex", Meta(page, "meta[name=robots]"));
        AssertCrisisNotice(page);
    }

    [Theory]
    [InlineData("PUT", "/")]
    [InlineData("DELETE", "/inquiry")]
    [InlineData("POST", "/about")]
    public async Task A_method_an_address_does_not_take_gets_the_not_allowed_page_with_405(string method, string path)
    {
        using var request = new HttpRequestMessage(new HttpMethod(method), new Uri(path, UriKind.Relative));
        using var response = await factory.CreateClient().SendAsync(request);
        var page = await Html.ParseAsync(response);

        Assert.Equal(HttpStatusCode.MethodNotAllowed, response.StatusCode);
        Assert.NotEmpty(response.Content.Headers.Allow);
        Assert.Equal("That is not allowed here", page.QuerySelector("h1")!.TextContent);
        Assert.DoesNotContain("went wrong", page.Body!.TextContent, StringComparison.OrdinalIgnoreCase);
        Assert.Equal("noindex", Meta(page, "meta[name=robots]"));
        AssertCrisisNotice(page);
    }

    /// <summary>A query string no page reads (a newsletter's tracking tag, anything) is served the one stored page, not stored again.</summary>
    [Theory]
    [InlineData("/about", "/about")]
    [InlineData("/about?utm_source=newsletter", "/about?utm_source=search&x=2")]
    public async Task Public_pages_are_served_from_the_output_cache(string first, string then)
    {
        var client = factory.CreateClient();
        using var stored = await client.GetAsync(new Uri(first, UriKind.Relative));
        using var served = await client.GetAsync(new Uri(then, UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, served.StatusCode);
        Assert.True(served.Headers.Age is not null, "the second response should come from the output cache (it carries an Age header)");
        Assert.Equal(await stored.Content.ReadAsStringAsync(), await served.Content.ReadAsStringAsync());
    }

    [Fact]
    public void Every_output_cached_action_binds_only_its_route_values_so_the_cache_can_ignore_query_strings()
    {
        var cached = factory.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(endpoint => endpoint.Metadata.GetMetadata<OutputCacheAttribute>()?.PolicyName is SiteSetup.PublicPagesCachePolicy or SiteSetup.PicturesCachePolicy)
            .ToList();

        Assert.Contains(cached, endpoint => endpoint.RoutePattern.Parameters.Count > 0); // the article, a picture
        Assert.All(cached, endpoint => Assert.All(
            endpoint.Metadata.GetMetadata<ControllerActionDescriptor>()!.Parameters.Where(parameter => parameter.ParameterType != typeof(CancellationToken)),
            parameter => Assert.True(
                endpoint.RoutePattern.GetParameter(parameter.Name) is not null && (parameter.BindingInfo?.BindingSource is null || parameter.BindingInfo.BindingSource == BindingSource.Path),
                $"{endpoint.DisplayName} binds {parameter.Name} from outside its route: a page cached once would be served for every value of it")));
    }

    private static void AssertCrisisNotice(IDocument page)
    {
        var footer = page.QuerySelector("footer")!.TextContent;
        Assert.Contains("988", footer, StringComparison.Ordinal);
        Assert.Contains("741741", footer, StringComparison.Ordinal);
        Assert.Contains("911", footer, StringComparison.Ordinal);
        Assert.Contains("not for emergencies", footer, StringComparison.Ordinal);
    }

    private static string? Meta(IDocument page, string selector) => page.QuerySelector(selector)?.GetAttribute("content");

    private static JsonDocument JsonLdOf(IDocument page)
    {
        var script = Assert.Single(page.QuerySelectorAll("script[type='application/ld+json']"));
        return JsonDocument.Parse(script.TextContent);
    }
}
