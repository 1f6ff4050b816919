using System.Text;
using KapPractice.Web.Features.Content.Images;
using SkiaSharp;

namespace KapPractice.UnitTests.Features.Content;

public sealed class ImageProcessorTests
{
    private const long Limit = ImageProcessor.DefaultMaxBytes;

    private static ProcessedImage Accept(TestFile file)
    {
        var result = ImageProcessor.Process(file.Bytes, Limit);
        Assert.True(result.Accepted, result.Refusal);
        return result.Image;
    }

    private static string Refuse(TestFile file, long limit = Limit)
    {
        var result = ImageProcessor.Process(file.Bytes, limit);
        Assert.False(result.Accepted);
        return result.Refusal;
    }

    // The fixtures first: a test that metadata is gone means nothing unless the input really carried it.

    [Fact]
    public void The_phone_photo_fixture_carries_exif_with_a_gps_position_that_skia_reads()
    {
        var photo = TestImages.JpegWithGps(400, 200, orientation: 6);

        Assert.True(Contains(photo.Bytes, "Exif\0\0"u8.ToArray()));
        Assert.True(Contains(photo.Bytes, TestImages.RationalBytes(TestImages.Latitude)));
        Assert.True(Contains(photo.Bytes, TestImages.RationalBytes(TestImages.Longitude)));
        Assert.True(Contains(photo.Bytes, Encoding.ASCII.GetBytes(TestImages.CameraModel)));
        using var data = SKData.CreateCopy(photo.Bytes);
        using var codec = SKCodec.Create(data);
        Assert.Equal(SKEncodedOrigin.RightTop, codec.EncodedOrigin); // the APP1 segment is where a decoder looks
    }

    [Fact]
    public void The_png_fixture_carries_a_text_chunk_and_still_decodes()
    {
        var png = TestImages.PngWithText();

        Assert.True(Contains(png.Bytes, Encoding.Latin1.GetBytes("tEXt" + TestImages.TextKey + "\0" + TestImages.TextValue)));
        using var bitmap = SKBitmap.Decode(png.Bytes);
        Assert.Equal(300, bitmap.Width);
    }

    [Fact]
    public void No_exif_or_gps_position_survives_in_any_output()
    {
        var image = Accept(TestImages.JpegWithGps(2000, 1500));

        Assert.Equal(3, image.Variants.Count);
        foreach (var variant in image.Variants)
        {
            var bytes = variant.Bytes.ToArray();
            Assert.False(Contains(bytes, "Exif"u8.ToArray()), $"EXIF in the {variant.Width} variant");
            Assert.False(Contains(bytes, TestImages.RationalBytes(TestImages.Latitude)), $"latitude in the {variant.Width} variant");
            Assert.False(Contains(bytes, TestImages.RationalBytes(TestImages.Longitude)), $"longitude in the {variant.Width} variant");
            Assert.False(Contains(bytes, Encoding.ASCII.GetBytes(TestImages.CameraModel)), $"camera in the {variant.Width} variant");
            Assert.False(Contains(bytes, "ICCP"u8.ToArray()), $"colour profile in the {variant.Width} variant");
            Assert.False(Contains(bytes, "XMP "u8.ToArray()), $"XMP in the {variant.Width} variant");
        }
    }

    [Fact]
    public void No_png_text_survives()
    {
        var image = Accept(TestImages.PngWithText());

        var bytes = Assert.Single(image.Variants).Bytes.ToArray();
        Assert.False(Contains(bytes, Encoding.Latin1.GetBytes(TestImages.TextKey)));
        Assert.False(Contains(bytes, Encoding.Latin1.GetBytes(TestImages.TextValue)));
        Assert.Equal("PNG", image.SourceFormat);
    }

    [Fact]
    public void Every_output_is_a_webp_of_the_stated_size_named_after_its_hash()
    {
        var image = Accept(TestImages.Jpeg(3000, 2000));

        foreach (var variant in image.Variants)
        {
            var bytes = variant.Bytes.ToArray();
            using var data = SKData.CreateCopy(bytes);
            using var codec = SKCodec.Create(data);
            Assert.Equal(SKEncodedImageFormat.Webp, codec.EncodedFormat);
            Assert.Equal((variant.Width, variant.Height), (codec.Info.Width, codec.Info.Height));
            Assert.Equal("image/webp", variant.ContentType);
            var hash = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(bytes))[..16];
            Assert.Equal($"{hash}-{variant.Width}.webp", variant.FileName);
            using var bitmap = SKBitmap.Decode(bytes);
            Assert.NotNull(bitmap); // it decodes whole
        }
    }

    [Theory]
    [InlineData(3000, 2000, new[] { 480, 960, 1600 }, new[] { 320, 640, 1067 })]
    [InlineData(1600, 900, new[] { 480, 960, 1600 }, new[] { 270, 540, 900 })]
    [InlineData(1200, 800, new[] { 480, 960, 1200 }, new[] { 320, 640, 800 })]
    [InlineData(960, 640, new[] { 480, 960 }, new[] { 320, 640 })]
    [InlineData(300, 200, new[] { 300 }, new[] { 200 })]
    [InlineData(1, 1, new[] { 1 }, new[] { 1 })]
    public void Widths_are_the_targets_the_image_can_fill_and_never_upscaled(int width, int height, int[] widths, int[] heights)
    {
        var image = Accept(TestImages.Jpeg(width, height));

        Assert.Equal((width, height), (image.Width, image.Height));
        Assert.Equal(widths, image.Variants.Select(v => v.Width));
        Assert.Equal(heights, image.Variants.Select(v => v.Height));
        Assert.Equal(widths[^1], image.Largest.Width);
        Assert.All(image.Variants, v => Assert.True(v.Width <= width && v.Height <= height));
    }

    [Fact]
    public void A_webp_is_accepted_and_re_encoded()
    {
        var image = Accept(TestImages.Webp(640, 480));

        Assert.Equal("WebP", image.SourceFormat);
        Assert.Equal([480, 640], image.Variants.Select(v => v.Width));
    }

    [Fact]
    public void A_phone_photo_stored_on_its_side_stands_up()
    {
        var image = Accept(TestImages.JpegWithGps(400, 200, orientation: 6));

        Assert.Equal((200, 400), (image.Width, image.Height));
        var variant = Assert.Single(image.Variants);
        Assert.Equal((200, 400), (variant.Width, variant.Height));
    }

    /// <summary>The source's red top-left quarter lands where EXIF 2.3 (tag 0x0112) says its first row and column are seen.</summary>
    [Theory]
    [InlineData(1, 400, 200, "top-left")]
    [InlineData(2, 400, 200, "top-right")]
    [InlineData(3, 400, 200, "bottom-right")]
    [InlineData(4, 400, 200, "bottom-left")]
    [InlineData(5, 200, 400, "top-left")]
    [InlineData(6, 200, 400, "top-right")]
    [InlineData(7, 200, 400, "bottom-right")]
    [InlineData(8, 200, 400, "bottom-left")]
    public void Every_exif_orientation_is_applied(ushort orientation, int width, int height, string redCorner)
    {
        var image = Accept(TestImages.JpegWithGps(400, 200, orientation));

        Assert.Equal((width, height), (image.Width, image.Height));
        AssertRedCorner(Assert.Single(image.Variants), redCorner);
    }

    [Fact]
    public void A_large_photo_on_its_side_is_shrunk_while_decoding_and_still_stands_up()
    {
        // 4000 × 2000 stored, 2000 × 4000 seen: the decoder reads it at half size, enough for the 1600 variant.
        var image = Accept(TestImages.JpegWithGps(4000, 2000, orientation: 6));

        Assert.Equal((2000, 4000), (image.Width, image.Height));
        Assert.Equal([(480, 960), (960, 1920), (1600, 3200)], image.Variants.Select(v => (v.Width, v.Height)));
        Assert.All(image.Variants, v => AssertRedCorner(v, "top-right"));
    }

    private static void AssertRedCorner(ImageVariant variant, string redCorner)
    {
        using var bitmap = SKBitmap.Decode(variant.Bytes.ToArray());
        Assert.Equal((variant.Width, variant.Height), (bitmap.Width, bitmap.Height));
        string[] corners = ["top-left", "top-right", "bottom-right", "bottom-left"];
        foreach (var corner in corners)
        {
            var x = corner.EndsWith("left", StringComparison.Ordinal) ? bitmap.Width / 4 : bitmap.Width * 3 / 4;
            var y = corner.StartsWith("top", StringComparison.Ordinal) ? bitmap.Height / 4 : bitmap.Height * 3 / 4;
            var pixel = bitmap.GetPixel(x, y);
            var isRed = pixel.Red > 200 && pixel.Blue < 60;
            Assert.True(isRed == (corner == redCorner), $"{corner} of the {variant.Width} variant is {pixel}");
        }
    }

    [Theory]
    [MemberData(nameof(NotImages))]
    public void Anything_but_jpeg_png_or_webp_is_refused_naming_the_accepted_types(string name)
    {
        var file = name switch
        {
            "svg" => TestImages.Svg(),
            "html named .jpg" => TestImages.HtmlNamedJpg(),
            "gif" => TestImages.Gif(),
            "heic" => TestImages.Heic(),
            _ => new TestFile("empty.jpg", "image/jpeg", []),
        };

        Assert.Equal("This file is not a JPEG, PNG or WebP image. Those are the types accepted.", Refuse(file));
    }

    public static TheoryData<string> NotImages() => ["svg", "html named .jpg", "gif", "heic", "empty"];

    [Fact]
    public void A_truncated_jpeg_is_refused_as_incomplete()
    {
        Assert.Equal("This image file is incomplete or damaged.", Refuse(TestImages.TruncatedJpeg()));
    }

    [Fact]
    public void A_file_with_a_jpeg_start_and_html_after_it_is_refused_as_damaged()
    {
        Assert.Equal("This image file is incomplete or damaged.", Refuse(TestImages.JpegMagicThenHtml()));
    }

    [Fact]
    public void A_decompression_bomb_is_refused_from_its_header()
    {
        var bomb = TestImages.BombPng(50_000, 50_000);

        Assert.True(bomb.Bytes.Length < 1_000, $"the bomb is {bomb.Bytes.Length} bytes");
        Assert.Equal("This image is 50,000 × 50,000 pixels; images up to 40 megapixels are accepted.", Refuse(bomb));
    }

    [Fact]
    public void An_image_over_the_pixel_limit_is_refused_with_its_size()
    {
        Assert.Equal("This image is 8,000 × 6,000 pixels; images up to 40 megapixels are accepted.", Refuse(TestImages.BombPng(8_000, 6_000)));
    }

    [Fact]
    public void An_image_with_a_side_too_long_is_refused()
    {
        Assert.Equal("This image is 100 × 20,000 pixels; images up to 16,000 pixels on a side are accepted.", Refuse(TestImages.BombPng(100, 20_000)));
    }

    [Fact]
    public void A_file_over_the_byte_limit_is_refused_before_it_is_read()
    {
        var photo = TestImages.JpegWithGps(400, 200);

        Assert.Equal("This image is larger than 1 KB.", Refuse(photo, limit: 1024));
        Assert.True(ImageProcessor.Process(photo.Bytes, photo.Bytes.Length).Accepted);
    }

    [Fact]
    public void The_default_limit_is_15_mb_and_a_stream_over_it_is_refused()
    {
        byte[] big = [0xFF, 0xD8, 0xFF, .. new byte[15 * 1024 * 1024]];

        using var unseekable = new UnseekableStream(big);
        using var seekable = new MemoryStream(big);
        Assert.Equal("This image is larger than 15 MB.", ImageProcessor.Process(unseekable, ImageProcessor.DefaultMaxBytes).Refusal);
        Assert.Equal("This image is larger than 15 MB.", ImageProcessor.Process(seekable, ImageProcessor.DefaultMaxBytes).Refusal);
    }

    [Fact]
    public void A_stream_within_the_limit_is_processed()
    {
        using var stream = new UnseekableStream(TestImages.Webp(500, 300).Bytes);

        var result = ImageProcessor.Process(stream, Limit);

        Assert.True(result.Accepted, result.Refusal);
        Assert.Equal([480, 500], result.Image.Variants.Select(v => v.Width));
    }

    [Fact]
    public void Srcset_lists_every_width()
    {
        var image = Accept(TestImages.Jpeg(1000, 500));

        Assert.Equal(
            $"/media/{image.Variants[0].FileName} 480w, /media/{image.Variants[1].FileName} 960w, /media/{image.Variants[2].FileName} 1000w",
            image.SrcSet(v => "/media/" + v.FileName));
    }

    private static bool Contains(byte[] haystack, byte[] needle) => haystack.AsSpan().IndexOf(needle) >= 0;

    /// <summary>An upload read as it arrives, with no length to check first.</summary>
    private sealed class UnseekableStream(byte[] bytes) : MemoryStream(bytes)
    {
        public override bool CanSeek => false;

        public override long Length => throw new NotSupportedException();
    }
}
