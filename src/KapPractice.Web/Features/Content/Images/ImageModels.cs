using System.Diagnostics.CodeAnalysis;

namespace KapPractice.Web.Features.Content.Images;

/// <summary>What became of one upload: a processed image, or a refusal the practitioner reads.</summary>
public sealed class ImageProcessingResult
{
    private ImageProcessingResult(ProcessedImage? image, string? refusal)
    {
        Image = image;
        Refusal = refusal;
    }

    /// <summary>The re-encoded image and its widths; null when refused.</summary>
    public ProcessedImage? Image { get; }

    /// <summary>A sentence for the practitioner saying why the file was not taken; null when accepted.</summary>
    public string? Refusal { get; }

    [MemberNotNullWhen(true, nameof(Image))]
    [MemberNotNullWhen(false, nameof(Refusal))]
    public bool Accepted => Image is not null;

    public static ImageProcessingResult Processed(ProcessedImage image)
    {
        ArgumentNullException.ThrowIfNull(image);
        return new(image, null);
    }

    public static ImageProcessingResult Refused(string message)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(message);
        return new(null, message);
    }
}

/// <summary>
/// An upload decoded, turned upright and re-encoded: nothing of the original file is kept, only its pixels.
/// </summary>
/// <param name="Width">The upright width in pixels, after the EXIF orientation is applied.</param>
/// <param name="Height">The upright height in pixels.</param>
/// <param name="SourceFormat">What the bytes were ("JPEG", "PNG" or "WebP"), decided from the bytes themselves.</param>
/// <param name="Variants">Smallest first; never wider than <paramref name="Width"/>, always at least one.</param>
public sealed record ProcessedImage(int Width, int Height, string SourceFormat, IReadOnlyList<ImageVariant> Variants)
{
    /// <summary>
    /// The picture's key: the hash in the name of the file its Markdown line points at (<see cref="SrcFile"/>), so the
    /// line she pastes is a real address and the same photo uploaded twice has the same key.
    /// </summary>
    public string Key
    {
        get
        {
            var name = SrcFile(Variants, v => v.Width).FileName;
            return name[..name.IndexOf('-', StringComparison.Ordinal)];
        }
    }

    /// <summary>
    /// Of a picture's files, the one a browser without srcset shows and a Markdown line points at: the one nearest a
    /// phone screen's width (960 px, or the widest below; the narrowest if all are wider).
    /// </summary>
    public static T SrcFile<T>(IReadOnlyCollection<T> files, Func<T, int> width)
    {
        ArgumentNullException.ThrowIfNull(files);
        ArgumentNullException.ThrowIfNull(width);
        return files.Where(f => width(f) <= 960).MaxBy(width) ?? files.MinBy(width)!;
    }

    /// <summary>The largest variant: its width and height go on the <c>img</c> tag.</summary>
    public ImageVariant Largest => Variants[^1];

    /// <summary>The <c>srcset</c> value, e.g. <c>/media/ab12-480.webp 480w, /media/cd34-960.webp 960w</c>.</summary>
    public string SrcSet(Func<ImageVariant, string> url)
    {
        ArgumentNullException.ThrowIfNull(url);
        return string.Join(", ", Variants.Select(v => $"{url(v)} {v.Width}w"));
    }
}

/// <summary>One re-encoded width of an image.</summary>
/// <param name="FileName">Named after a hash of <paramref name="Bytes"/>, so it can be cached for a year and never goes stale.</param>
public sealed record ImageVariant(int Width, int Height, string ContentType, string FileName, ReadOnlyMemory<byte> Bytes);
