using KapPractice.Web.Features.Content;

namespace KapPractice.UnitTests.Features.Content;

/// <summary>The renderer's start-up warm-up (Program) saves start-up time only if its sample goes through the steps a page's render does.</summary>
public sealed class ContentWarmUpTests
{
    [Fact]
    public void The_warm_up_goes_through_markdig_the_sanitizer_and_the_renderers_hooks_for_links_and_images()
    {
        var rendered = ContentRenderer.WarmUp();

        Assert.Null(rendered.Problem); // rendered, not shown as plain text
        Assert.Contains("<h2", rendered.Html, StringComparison.Ordinal); // its h1 moved down a level
        Assert.Contains("class=\"cta\"", rendered.Html, StringComparison.Ordinal); // the custom container
        Assert.Contains("<dl>", rendered.Html, StringComparison.Ordinal); // raw HTML through the sanitizer
        Assert.Contains("rel=\"noopener noreferrer\"", rendered.Html, StringComparison.Ordinal); // the renderer's post-processing of links
        Assert.DoesNotContain("<img", rendered.Html, StringComparison.Ordinal); // and of images: one not in her library is removed
        Assert.DoesNotContain("practitioner", rendered.Html, StringComparison.Ordinal); // the comment is gone
    }
}
