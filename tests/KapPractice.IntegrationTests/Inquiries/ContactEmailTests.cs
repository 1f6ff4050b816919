using System.Net;

namespace KapPractice.IntegrationTests.Inquiries;

/// <summary>The address people are told to write to is the configured one, never a hard-coded copy.</summary>
public sealed class ContactEmailTests
{
    [Theory]
    [InlineData("/inquiry/thank-you", HttpStatusCode.OK)]
    [InlineData("/error/500", HttpStatusCode.InternalServerError)]
    public async Task Pages_that_give_an_address_to_write_to_use_Practice_ContactEmail(string url, HttpStatusCode status)
    {
        await using var app = new KapPracticeFactory().WithSetting("Practice:ContactEmail", "frontdesk@example.org");

        var page = await app.NewClient().GetDocumentAsync(url, status);

        Assert.Contains("frontdesk@example.org", page.TextOf("main"), StringComparison.Ordinal);
        Assert.DoesNotContain("leslie@", page.DocumentElement.OuterHtml, StringComparison.OrdinalIgnoreCase);
    }
}
