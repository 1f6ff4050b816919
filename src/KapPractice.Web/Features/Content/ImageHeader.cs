using System.Buffers.Binary;
using System.Globalization;
using System.Text;
using CsvHelper;
using KapPractice.Web.Domain;
using KapPractice.Web.Infrastructure;
using KapPractice.Web.Infrastructure.Audit;
using KapPractice.Web.Infrastructure.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace KapPractice.Web.Features.Content;

/// <summary>
/// Checks an image file's first bytes against what it claims to be: its type's signature and the width and height its
/// header records. Not a full decode (this branch has no image library); a file that passes is still only served, never
/// decoded by the site.
/// </summary>
public static class ImageHeader
{
    /// <summary>Null when the bytes are a JPEG, PNG or WebP of the stated type and size; otherwise what is wrong.</summary>
    public static string? Check(ReadOnlySpan<byte> bytes, string contentType, int width, int height)
    {
        ArgumentNullException.ThrowIfNull(contentType);
        var size = contentType switch
        {
            "image/png" => Png(bytes),
            "image/jpeg" => Jpeg(bytes),
            "image/webp" => WebP(bytes),
            _ => ((int, int)?)null,
        };
        if (contentType is not ("image/png" or "image/jpeg" or "image/webp"))
        {
            return $"'{contentType}' is not one of image/jpeg, image/png, image/webp.";
        }

        return size switch
        {
            null => $"the file is not a {contentType} image.",
            var (w, h) when w != width || h != height => $"the file is {w}×{h} pixels, not the {width}×{height} stated.",
            _ => CarriesMetadata(bytes, contentType)
                ? "the file carries EXIF, XMP or text metadata (a camera's position, for one); the site stores pictures only without it."
                : null,
        };
    }

    /// <summary>
    /// True when the file holds a metadata block: EXIF or XMP in a WebP, text or EXIF chunks in a PNG, APP1 (EXIF, XMP) or
    /// APP13 (IPTC) in a JPEG. Files the site made never do; an imported file that does is refused, not served.
    /// </summary>
    public static bool CarriesMetadata(ReadOnlySpan<byte> b, string contentType)
    {
        switch (contentType)
        {
            case "image/webp":
                for (var at = 12; at + 8 <= b.Length;)
                {
                    var fourCc = b.Slice(at, 4);
                    if (fourCc.SequenceEqual("EXIF"u8) || fourCc.SequenceEqual("XMP "u8))
                    {
                        return true;
                    }

                    var size = BinaryPrimitives.ReadUInt32LittleEndian(b[(at + 4)..]);
                    if (size > int.MaxValue - at - 9)
                    {
                        return true; // a chunk larger than any file: not one the site made
                    }

                    at += 8 + (int)size + (int)(size & 1);
                }

                return false;
            case "image/png":
                for (var at = 8; at + 8 <= b.Length;)
                {
                    var type = b.Slice(at + 4, 4);
                    if (type.SequenceEqual("tEXt"u8) || type.SequenceEqual("iTXt"u8) || type.SequenceEqual("zTXt"u8) || type.SequenceEqual("eXIf"u8))
                    {
                        return true;
                    }

                    var length = BinaryPrimitives.ReadUInt32BigEndian(b[at..]);
                    if (length > int.MaxValue - at - 13)
                    {
                        return true;
                    }

                    at += 12 + (int)length;
                }

                return false;
            case "image/jpeg":
                for (var at = 2; at + 4 <= b.Length && b[at] == 0xFF;)
                {
                    var marker = b[at + 1];
                    if (marker is 0xE1 or 0xED)
                    {
                        return true;
                    }

                    if (marker == 0xDA)
                    {
                        return false; // the image data starts: no more headers
                    }

                    at += 2 + BinaryPrimitives.ReadUInt16BigEndian(b[(at + 2)..]);
                }

                return false;
            default:
                return true;
        }
    }

    private static (int, int)? Png(ReadOnlySpan<byte> b) =>
        b.Length >= 24 && b[..8].SequenceEqual((ReadOnlySpan<byte>)[0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]) && b[12..16].SequenceEqual("IHDR"u8)
            ? ((int)BinaryPrimitives.ReadUInt32BigEndian(b[16..]), (int)BinaryPrimitives.ReadUInt32BigEndian(b[20..]))
            : null;

    private static (int, int)? WebP(ReadOnlySpan<byte> b)
    {
        if (b.Length < 30 || !b[..4].SequenceEqual("RIFF"u8) || !b[8..12].SequenceEqual("WEBP"u8))
        {
            return null;
        }

        var chunk = b[12..16];
        if (chunk.SequenceEqual("VP8X"u8))
        {
            return (1 + (b[24] | (b[25] << 8) | (b[26] << 16)), 1 + (b[27] | (b[28] << 8) | (b[29] << 16)));
        }

        if (chunk.SequenceEqual("VP8L"u8) && b[20] == 0x2F)
        {
            var bits = BinaryPrimitives.ReadUInt32LittleEndian(b[21..]);
            return (1 + (int)(bits & 0x3FFF), 1 + (int)((bits >> 14) & 0x3FFF));
        }

        if (chunk.SequenceEqual("VP8 "u8) && b[23] == 0x9D && b[24] == 0x01 && b[25] == 0x2A)
        {
            return (BinaryPrimitives.ReadUInt16LittleEndian(b[26..]) & 0x3FFF, BinaryPrimitives.ReadUInt16LittleEndian(b[28..]) & 0x3FFF);
        }

        return null;
    }

    /// <summary>Walks the markers to the first start-of-frame, which records the size.</summary>
    private static (int, int)? Jpeg(ReadOnlySpan<byte> b)
    {
        if (b.Length < 4 || b[0] != 0xFF || b[1] != 0xD8)
        {
            return null;
        }

        var at = 2;
        while (at + 9 < b.Length)
        {
            if (b[at] != 0xFF)
            {
                return null;
            }

            var marker = b[at + 1];
            if (marker == 0xFF)
            {
                at++;
                continue;
            }

            var length = BinaryPrimitives.ReadUInt16BigEndian(b[(at + 2)..]);
            if (marker is >= 0xC0 and <= 0xCF and not 0xC4 and not 0xC8 and not 0xCC)
            {
                return (BinaryPrimitives.ReadUInt16BigEndian(b[(at + 7)..]), BinaryPrimitives.ReadUInt16BigEndian(b[(at + 5)..]));
            }

            at += 2 + length;
        }

        return null;
    }
}
