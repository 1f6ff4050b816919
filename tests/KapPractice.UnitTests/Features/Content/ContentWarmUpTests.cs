using KapPractice.Web.Features.Content;

namespace KapPractice.UnitTests.Features.Content;

/// <summary>The renderer's start-up warm-up (Program) is worth its core only if its sample takes every step a page takes.</summary>
public sealed class ContentWarmUpTests
{
    [Fact]
    public void The_warm_up_sample_takes_every_step_a_published_page_takes()
    {
        var rendered = ContentRenderer.Render(ContentRenderer.WarmUpSample);

        Assert.Null(rendered.Problem); // rendered, not shown as plain text
        Assert.Contains("<h2", rendered.Html, StringComparison.Ordinal); // its h1 moved down a level
        Assert.Contains("class=\"cta\"", rendered.Html, StringComparison.Ordinal); // the custom container
        Assert.Contains("<dl>", rendered.Html, StringComparison.Ordinal); // raw HTML through the sanitizer
        Assert.Contains("rel=\"noopener noreferrer\"", rendered.Html, StringComparison.Ordinal); // the sanitizer's own pass over links
        Assert.DoesNotContain("<img", rendered.Html, StringComparison.Ordinal); // and over images: one not in her library is removed
        Assert.DoesNotContain("practitioner", rendered.Html, StringComparison.Ordinal); // the comment is gone
    }
}
