using System.Globalization;
using System.Security.Cryptography;
using SkiaSharp;

namespace KapPractice.Web.Features.Content.Images;

/// <summary>Turning a photo upright and scaling it down well.</summary>
public static partial class ImageProcessor
{
    /// <summary>Stands a photo up the way the camera's EXIF orientation says; null when it is already upright.</summary>
    private static SKBitmap? Orient(SKBitmap source, SKEncodedOrigin origin)
    {
        var (w, h) = ((float)source.Width, (float)source.Height);
        // Each matrix maps a stored pixel (x, y) to where it is seen (EXIF 2.3, tag 0x0112).
        SKMatrix? matrix = origin switch
        {
            SKEncodedOrigin.TopRight => new SKMatrix(-1, 0, w, 0, 1, 0, 0, 0, 1),
            SKEncodedOrigin.BottomRight => new SKMatrix(-1, 0, w, 0, -1, h, 0, 0, 1),
            SKEncodedOrigin.BottomLeft => new SKMatrix(1, 0, 0, 0, -1, h, 0, 0, 1),
            SKEncodedOrigin.LeftTop => new SKMatrix(0, 1, 0, 1, 0, 0, 0, 0, 1),
            SKEncodedOrigin.RightTop => new SKMatrix(0, -1, h, 1, 0, 0, 0, 0, 1),
            SKEncodedOrigin.RightBottom => new SKMatrix(0, -1, h, -1, 0, w, 0, 0, 1),
            SKEncodedOrigin.LeftBottom => new SKMatrix(0, 1, 0, -1, 0, w, 0, 0, 1),
            _ => null,
        };
        if (matrix is null)
        {
            return null;
        }

        var info = SwapsSides(origin) ? source.Info.WithSize(source.Height, source.Width) : source.Info;
        var upright = new SKBitmap(info);
        using var canvas = new SKCanvas(upright);
        canvas.Clear(SKColors.Transparent);
        canvas.SetMatrix(matrix.Value);
        // Whole pixels land on whole pixels: nearest keeps them exact.
        canvas.DrawBitmap(source, 0, 0, new SKSamplingOptions(SKFilterMode.Nearest), null);
        return upright;
    }

    /// <summary>Orientations 5–8: the stored image lies on its side, so its width is the height seen.</summary>
    private static bool SwapsSides(SKEncodedOrigin origin) => origin is SKEncodedOrigin.LeftTop
        or SKEncodedOrigin.RightTop or SKEncodedOrigin.RightBottom or SKEncodedOrigin.LeftBottom;

    /// <summary>
    /// Halves with a box filter while the image is at least twice the target, then one cubic (Mitchell) step:
    /// a single cubic step over a large reduction would skip pixels and alias fine detail.
    /// </summary>
    private static SKBitmap Resize(SKBitmap source, int width, int height)
    {
        // The source belongs to the caller; only the halves made here are disposed here.
        var current = source;
        while (current.Width >= width * 2 && current.Height >= height * 2)
        {
            var half = new SKBitmap(current.Info.WithSize(current.Width / 2, current.Height / 2));
            // Bilinear at exactly half size samples between four pixels: their average.
            Scale(current, half, new SKSamplingOptions(SKFilterMode.Linear, SKMipmapMode.None));
            if (current != source)
            {
                current.Dispose();
            }

            current = half;
        }

        if (current.Width == width && current.Height == height)
        {
            return current == source ? source.Copy() : current;
        }

        var result = new SKBitmap(current.Info.WithSize(width, height));
        Scale(current, result, new SKSamplingOptions(SKCubicResampler.Mitchell));
        if (current != source)
        {
            current.Dispose();
        }

        return result;
    }

    /// <summary>Skia reports a failed scale (pixels it could not allocate) only by its result: never encode those.</summary>
    private static void Scale(SKBitmap from, SKBitmap to, SKSamplingOptions sampling)
    {
        if (!from.ScalePixels(to, sampling))
        {
            throw new InvalidOperationException($"Could not scale {from.Width} × {from.Height} pixels to {to.Width} × {to.Height}.");
        }
    }
}
