using System.Globalization;
using System.Security.Cryptography;
using SkiaSharp;

namespace KapPractice.Web.Features.Content.Images;

/// <summary>
/// Turns an uploaded photo into web images that carry nothing of the original file: the bytes are decoded to
/// pixels and encoded anew as WebP, so EXIF (a phone photo's GPS position, camera, date), text chunks and ICC
/// comments are all left behind. The type is read from the bytes, never from the file name or declared type;
/// the size is read from the header and checked before any pixel is decoded, so a small file that declares a
/// huge image is refused without allocating it.
/// </summary>
public static partial class ImageProcessor
{
    /// <summary>The upload limit when <c>Content:MaxImageBytes</c> is not set.</summary>
    public const long DefaultMaxBytes = 15 * 1024 * 1024;

    /// <summary>The most pixels an upload may have: a 40 MP photo decodes to 160 MB, more than enough for the web.</summary>
    public const long MaxPixels = 40_000_000;

    /// <summary>The longest side accepted; keeps every variant under WebP's 16,383-pixel limit.</summary>
    public const int MaxSide = 16_000;

    /// <summary>The widths made for <c>srcset</c>: a phone, a laptop column, a wide screen.</summary>
    public static readonly IReadOnlyList<int> TargetWidths = [480, 960, 1600];

    /// <summary>Lossy WebP at this quality looks like the photo and is a fraction of a JPEG's size.</summary>
    public const float WebpQuality = 80;

    public const string WebpContentType = "image/webp";

    public const string NotAnAcceptedType = "This file is not a JPEG, PNG or WebP image. Those are the types accepted.";

    public const string Damaged = "This image file is incomplete or damaged.";

    /// <summary>Reads at most <paramref name="maxBytes"/> + 1 bytes, so an oversized upload is never held whole.</summary>
    public static ImageProcessingResult Process(Stream input, long maxBytes)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxBytes);
        if (input.CanSeek && input.Length - input.Position > maxBytes)
        {
            return TooLarge(maxBytes);
        }

        // Sized from the upload when its length is known: a buffer grown by doubling holds two copies at the last step.
        using var buffer = input.CanSeek ? new MemoryStream((int)(input.Length - input.Position)) : new MemoryStream();
        var chunk = new byte[81920];
        int read;
        while ((read = input.Read(chunk, 0, chunk.Length)) > 0)
        {
            buffer.Write(chunk, 0, read);
            if (buffer.Length > maxBytes)
            {
                return TooLarge(maxBytes);
            }
        }

        return Process(buffer.GetBuffer().AsSpan(0, (int)buffer.Length), maxBytes);
    }

    public static ImageProcessingResult Process(ReadOnlySpan<byte> input, long maxBytes)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxBytes);
        if (input.Length > maxBytes)
        {
            return TooLarge(maxBytes);
        }

        var format = Sniff(input);
        if (format is null)
        {
            return ImageProcessingResult.Refused(NotAnAcceptedType);
        }

        using var data = SKData.CreateCopy(input);
        using var codec = SKCodec.Create(data);
        if (codec is null)
        {
            return ImageProcessingResult.Refused(Damaged);
        }

        if (codec.EncodedFormat != format)
        {
            // The first bytes said one type and the decoder found another: a file disguised as an image.
            return ImageProcessingResult.Refused(NotAnAcceptedType);
        }

        // The header's size, before any pixel is decoded: a decompression bomb stops here.
        var (width, height) = (codec.Info.Width, codec.Info.Height);
        if (width <= 0 || height <= 0)
        {
            return ImageProcessingResult.Refused(Damaged);
        }

        if ((long)width * height > MaxPixels)
        {
            return ImageProcessingResult.Refused(
                string.Create(CultureInfo.InvariantCulture, $"This image is {width:N0} × {height:N0} pixels; images up to {MaxPixels / 1_000_000} megapixels are accepted."));
        }

        if (width > MaxSide || height > MaxSide)
        {
            return ImageProcessingResult.Refused(
                string.Create(CultureInfo.InvariantCulture, $"This image is {width:N0} × {height:N0} pixels; images up to {MaxSide:N0} pixels on a side are accepted."));
        }

        var origin = codec.EncodedOrigin;
        var swaps = SwapsSides(origin);
        var (uprightWidth, uprightHeight) = swaps ? (height, width) : (width, height);
        var widths = WidthsFor(uprightWidth);

        using var decoded = Decode(codec, (double)widths[^1] / uprightWidth);
        if (decoded is null)
        {
            return ImageProcessingResult.Refused(Damaged);
        }

        var variants = MakeVariants(decoded, origin, widths, uprightWidth, uprightHeight);
        if (variants is null)
        {
            return ImageProcessingResult.Refused(Damaged);
        }

        return ImageProcessingResult.Processed(new ProcessedImage(uprightWidth, uprightHeight, FormatName(format.Value), variants));
    }

    /// <summary>The type the magic numbers at the start of the file say, or null for anything not accepted.</summary>
    internal static SKEncodedImageFormat? Sniff(ReadOnlySpan<byte> bytes)
    {
        if (bytes.StartsWith((ReadOnlySpan<byte>)[0xFF, 0xD8, 0xFF]))
        {
            return SKEncodedImageFormat.Jpeg;
        }

        if (bytes.StartsWith((ReadOnlySpan<byte>)[0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A]))
        {
            return SKEncodedImageFormat.Png;
        }

        if (bytes.Length >= 12 && bytes[..4].SequenceEqual("RIFF"u8) && bytes[8..12].SequenceEqual("WEBP"u8))
        {
            return SKEncodedImageFormat.Webp;
        }

        return null;
    }

    /// <summary>
    /// All pixels as stored (not yet turned upright), converted to sRGB; null when the file ends early or its data
    /// is broken. The decoder shrinks while decoding where it can (a JPEG by 1/8 steps), as far as
    /// <paramref name="scale"/> allows: a 40 MP photo needed at 1600 wide then never occupies 160 MB.
    /// </summary>
    private static SKBitmap? Decode(SKCodec codec, double scale)
    {
        var full = codec.Info.Size;
        var size = full;
        // Skia rounds a requested scale down to one it supports, so try each eighth and keep the smallest that is
        // still big enough.
        for (var eighths = 1; eighths < 8; eighths++)
        {
            var scaled = codec.GetScaledDimensions(eighths / 8f);
            if (scaled.Width >= full.Width * scale && scaled.Height >= full.Height * scale
                && scaled.Width < size.Width && scaled.Height < size.Height)
            {
                size = scaled;
            }
        }

        var alpha = codec.Info.AlphaType == SKAlphaType.Opaque ? SKAlphaType.Opaque : SKAlphaType.Premul;
        // The pixels are stored without a colour space, so no ICC profile is written into the output; the decoder
        // converts them to sRGB first (a wide-gamut phone photo included), which is what browsers assume.
        var stored = new SKImageInfo(size.Width, size.Height, SKColorType.Rgba8888, alpha);
        var bitmap = new SKBitmap();
        if (!bitmap.TryAllocPixels(stored))
        {
            bitmap.Dispose();
            return null;
        }

        using var srgb = SKColorSpace.CreateSrgb();
        var result = codec.GetPixels(stored.WithColorSpace(srgb), bitmap.GetPixels());
        if (result != SKCodecResult.Success)
        {
            // IncompleteInput: a truncated upload, which Skia would otherwise fill with grey.
            bitmap.Dispose();
            return null;
        }

        return bitmap;
    }

    /// <summary>
    /// The target widths not wider than the image, plus the image's own width when it falls short of the
    /// widest target (a 1200-pixel photo is offered at 1200, not cut down to 960). Never upscaled.
    /// </summary>
    internal static IReadOnlyList<int> WidthsFor(int width)
    {
        var widths = TargetWidths.Where(t => t <= width).ToList();
        if (width < TargetWidths[^1] && !widths.Contains(width))
        {
            widths.Add(width);
        }

        return widths;
    }

    /// <summary>
    /// Resizes while still lying as stored and turns only the small result upright: turning the full image would
    /// cost a second copy of it.
    /// </summary>
    private static List<ImageVariant>? MakeVariants(
        SKBitmap stored, SKEncodedOrigin origin, IReadOnlyList<int> widths, int uprightWidth, int uprightHeight)
    {
        var variants = new List<ImageVariant>(widths.Count);
        SKBitmap? previous = null;
        try
        {
            // Widest first, each from the one before: 1600 → 960 → 480 costs less than three passes over the original.
            foreach (var width in widths.OrderDescending())
            {
                var height = Math.Max(1, (int)Math.Round((double)uprightHeight * width / uprightWidth));
                var (storedWidth, storedHeight) = SwapsSides(origin) ? (height, width) : (width, height);
                var resized = Resize(previous ?? stored, storedWidth, storedHeight);
                previous?.Dispose();
                previous = resized;
                using var turned = Orient(resized, origin);
                var bytes = EncodeWebp(turned ?? resized);
                if (bytes is null)
                {
                    return null;
                }

                variants.Add(new ImageVariant(width, height, WebpContentType, FileName(bytes, width), bytes));
            }
        }
        finally
        {
            previous?.Dispose();
        }

        variants.Reverse();
        return variants;
    }

    private static byte[]? EncodeWebp(SKBitmap bitmap)
    {
        using var pixmap = bitmap.PeekPixels();
        using var encoded = pixmap?.Encode(new SKWebpEncoderOptions(SKWebpEncoderCompression.Lossy, WebpQuality));
        return encoded?.ToArray();
    }

    /// <summary>First 16 hex digits of the SHA-256 of the bytes: a changed image gets a new name, so caches never serve a stale one.</summary>
    internal static string FileName(ReadOnlySpan<byte> bytes, int width) =>
        $"{Convert.ToHexStringLower(SHA256.HashData(bytes))[..16]}-{width}.webp";

    private static ImageProcessingResult TooLarge(long maxBytes) =>
        ImageProcessingResult.Refused($"This image is larger than {Megabytes(maxBytes)}.");

    internal static string Megabytes(long bytes)
    {
        var megabytes = bytes / (1024.0 * 1024.0);
        return megabytes >= 1
            ? megabytes.ToString("0.#", CultureInfo.InvariantCulture) + " MB"
            : Math.Max(1, bytes / 1024).ToString(CultureInfo.InvariantCulture) + " KB";
    }

    private static string FormatName(SKEncodedImageFormat format) => format switch
    {
        SKEncodedImageFormat.Jpeg => "JPEG",
        SKEncodedImageFormat.Png => "PNG",
        _ => "WebP",
    };
}
