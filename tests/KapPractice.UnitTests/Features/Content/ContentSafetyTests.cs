using KapPractice.Tests.Support;
using KapPractice.Web.Features.Content;
using KapPractice.Web.Features.Content.Images;

namespace KapPractice.UnitTests.Features.Content;

/// <summary>Text and files that must not break the site or carry a photo's hidden details onto it.</summary>
public sealed class ContentSafetyTests
{
    [Fact]
    public void Text_nested_beyond_markdigs_limit_is_shown_as_plain_text_with_a_reason_not_an_exception()
    {
        var hostile = new string('>', 20_000) + " deep";

        var rendered = ContentRenderer.Render(hostile);

        Assert.NotNull(rendered.Problem);
        Assert.Contains("deep", rendered.Html, StringComparison.Ordinal);
        Assert.DoesNotContain("<blockquote>", rendered.Html, StringComparison.Ordinal);
    }

    [Fact]
    public void An_imported_photo_with_its_exif_is_recognised_and_the_sites_own_files_are_not()
    {
        var photo = TestImages.JpegWithGps(400, 200);
        Assert.True(ImageHeader.CarriesMetadata(photo.Bytes, "image/jpeg"));
        Assert.True(ImageHeader.CarriesMetadata(TestImages.PngWithText().Bytes, "image/png"));

        var processed = ImageProcessor.Process(photo.Bytes, ImageProcessor.DefaultMaxBytes);

        Assert.True(processed.Accepted);
        Assert.All(processed.Image!.Variants, v => Assert.False(ImageHeader.CarriesMetadata(v.Bytes.Span, "image/webp")));
        Assert.Contains("EXIF", ImageHeader.Check(photo.Bytes, "image/jpeg", 400, 200), StringComparison.Ordinal);
    }
}
