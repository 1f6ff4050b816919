using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;
using SkiaSharp;

namespace KapPractice.Tests.Support;

/// <summary>An upload as a browser would send it: a name and a declared type, either of which may lie.</summary>
public sealed record TestFile(string FileName, string ContentType, byte[] Bytes);

/// <summary>
/// Image uploads made in code for every test project (linked into the unit tests like ValidInquiry): real
/// photos with the metadata a phone writes, and the files an upload must refuse. Nothing is read from disk.
/// </summary>
public static class TestImages
{
    /// <summary>Where <see cref="JpegWithGps"/> says it was taken: 47° 36′ 22.35″ N, 122° 19′ 55.12″ W.</summary>
    public static readonly (uint Numerator, uint Denominator)[] Latitude = [(47, 1), (36, 1), (2235, 100)];

    public static readonly (uint Numerator, uint Denominator)[] Longitude = [(122, 1), (19, 1), (5512, 100)];

    /// <summary>The camera model written into <see cref="JpegWithGps"/>'s EXIF.</summary>
    public const string CameraModel = "KapTestCam 9000";

    /// <summary>The key and text of <see cref="PngWithText"/>'s tEXt chunk.</summary>
    public const string TextKey = "Comment";

    public const string TextValue = "Taken at 12 Private Lane";

    /// <summary>
    /// A JPEG as a phone writes it: an APP1 'Exif' segment right after the start marker, holding the
    /// orientation, the camera model and a GPS IFD with latitude and longitude.
    /// </summary>
    /// <param name="orientation">EXIF orientation 1–8; 6 is a phone held upright (stored turned a quarter left).</param>
    public static TestFile JpegWithGps(int width = 400, int height = 200, ushort orientation = 1)
    {
        var jpeg = Encode(Quadrants(width, height), SKEncodedImageFormat.Jpeg, 90);
        var exif = ExifSegment(orientation);
        // Splice the segment in after SOI (FF D8), where cameras put it.
        var bytes = new byte[jpeg.Length + exif.Length];
        jpeg.AsSpan(0, 2).CopyTo(bytes);
        exif.CopyTo(bytes, 2);
        jpeg.AsSpan(2).CopyTo(bytes.AsSpan(2 + exif.Length));
        return new("IMG_0001.jpg", "image/jpeg", bytes);
    }

    /// <summary>A PNG carrying a tEXt chunk (<see cref="TextKey"/>: <see cref="TextValue"/>) after its header.</summary>
    public static TestFile PngWithText(int width = 300, int height = 200)
    {
        var png = Encode(Quadrants(width, height), SKEncodedImageFormat.Png, 100);
        var text = Chunk("tEXt", Encoding.Latin1.GetBytes(TextKey + "\0" + TextValue));
        const int afterHeader = 8 + 25; // signature, then IHDR: length, type, 13 bytes, CRC
        return new("diagram.png", "image/png", [.. png.AsSpan(0, afterHeader), .. text, .. png.AsSpan(afterHeader)]);
    }

    public static TestFile Webp(int width = 640, int height = 480) =>
        new("photo.webp", "image/webp", Encode(Quadrants(width, height), SKEncodedImageFormat.Webp, 90));

    /// <summary>A plain JPEG of any size, without metadata.</summary>
    public static TestFile Jpeg(int width, int height) =>
        new("photo.jpg", "image/jpeg", Encode(Quadrants(width, height), SKEncodedImageFormat.Jpeg, 90));

    /// <summary>A valid PNG header declaring <paramref name="width"/> × <paramref name="height"/> grey pixels, with one row of data: a few hundred bytes that would decode to gigabytes.</summary>
    public static TestFile BombPng(int width = 50_000, int height = 50_000)
    {
        var header = new byte[13];
        BinaryPrimitives.WriteInt32BigEndian(header, width);
        BinaryPrimitives.WriteInt32BigEndian(header.AsSpan(4), height);
        header[8] = 8; // bit depth; colour type 0 (grey), compression, filter and interlace 0
        using var compressed = new MemoryStream();
        using (var zlib = new ZLibStream(compressed, CompressionLevel.SmallestSize, leaveOpen: true))
        {
            zlib.Write(new byte[width + 1]); // one row: filter byte and zeros
        }

        byte[] bytes = [.. PngSignature, .. Chunk("IHDR", header), .. Chunk("IDAT", compressed.ToArray()), .. Chunk("IEND", [])];
        return new("bomb.png", "image/png", bytes);
    }

    /// <summary>The first half of a JPEG, as an upload cut off mid-way arrives.</summary>
    public static TestFile TruncatedJpeg()
    {
        var jpeg = Encode(Noise(800, 600), SKEncodedImageFormat.Jpeg, 90);
        return new("cut.jpg", "image/jpeg", jpeg[..(jpeg.Length / 2)]);
    }

    /// <summary>An SVG with a script in it: a picture format that is also a document.</summary>
    public static TestFile Svg() => new("logo.svg", "image/svg+xml", Encoding.UTF8.GetBytes(
        """<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><script>alert(1)</script><rect width="10" height="10"/></svg>"""));

    /// <summary>An HTML page named and declared as a JPEG: a file that lies about its type.</summary>
    public static TestFile HtmlNamedJpg() => new("photo.jpg", "image/jpeg", Encoding.UTF8.GetBytes(
        "<!DOCTYPE html><html><body><script>alert(document.cookie)</script></body></html>"));

    /// <summary>The start of a JPEG followed by HTML: passes a glance at the magic number, not a decoder.</summary>
    public static TestFile JpegMagicThenHtml() => new("photo.jpg", "image/jpeg",
        [0xFF, 0xD8, 0xFF, 0xE0, .. Encoding.UTF8.GetBytes("<html><script>alert(1)</script></html>")]);

    /// <summary>A 1 × 1 GIF89a.</summary>
    public static TestFile Gif() => new("dot.gif", "image/gif",
    [
        .. "GIF89a"u8, 0x01, 0x00, 0x01, 0x00, 0x80, 0x00, 0x00, 0x00, 0x00, 0x00, 0xFF, 0xFF, 0xFF,
        0x2C, 0x00, 0x00, 0x00, 0x00, 0x01, 0x00, 0x01, 0x00, 0x00, 0x02, 0x02, 0x44, 0x01, 0x00, 0x3B,
    ]);

    /// <summary>The opening of an iPhone's HEIC file (an ISO 'ftyp' box of brand 'heic').</summary>
    public static TestFile Heic() => new("IMG_0002.heic", "image/heic",
        [0x00, 0x00, 0x00, 0x18, .. "ftypheic"u8, 0x00, 0x00, 0x00, 0x00, .. "mif1heic"u8, .. new byte[64]]);

    /// <summary>The bytes of <see cref="Latitude"/> as they stand in the little-endian EXIF block.</summary>
    public static byte[] RationalBytes((uint Numerator, uint Denominator)[] values)
    {
        var bytes = new byte[values.Length * 8];
        for (var i = 0; i < values.Length; i++)
        {
            BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(i * 8), values[i].Numerator);
            BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(i * 8 + 4), values[i].Denominator);
        }

        return bytes;
    }

    /// <summary>Red in the top-left quarter, blue elsewhere: shows which way an image was turned.</summary>
    public static SKBitmap Quadrants(int width, int height)
    {
        var bitmap = new SKBitmap(width, height, SKColorType.Rgba8888, SKAlphaType.Opaque);
        using var canvas = new SKCanvas(bitmap);
        canvas.Clear(SKColors.Blue);
        using var red = new SKPaint { Color = SKColors.Red };
        canvas.DrawRect(0, 0, width / 2f, height / 2f, red);
        return bitmap;
    }

    private static readonly byte[] PngSignature = [0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A];

    private static SKBitmap Noise(int width, int height)
    {
        var bitmap = new SKBitmap(width, height, SKColorType.Rgba8888, SKAlphaType.Opaque);
        var random = new Random(20);
        for (var y = 0; y < height; y++)
        {
            for (var x = 0; x < width; x++)
            {
                bitmap.SetPixel(x, y, new SKColor((byte)random.Next(256), (byte)random.Next(256), (byte)random.Next(256)));
            }
        }

        return bitmap;
    }

    private static byte[] Encode(SKBitmap bitmap, SKEncodedImageFormat format, int quality)
    {
        using (bitmap)
        using (var image = SKImage.FromBitmap(bitmap))
        using (var data = image.Encode(format, quality))
        {
            return data.ToArray();
        }
    }

    /// <summary>
    /// FF E1, length, 'Exif\0\0', then a little-endian TIFF block: IFD0 (orientation, model, pointer to the GPS
    /// IFD) and a GPS IFD (version, N/W references, latitude and longitude as degree/minute/second rationals).
    /// </summary>
    private static byte[] ExifSegment(ushort orientation)
    {
        var model = Encoding.ASCII.GetBytes(CameraModel + "\0");
        const int ifd0 = 8;
        const int ifd0Entries = 3;
        const int gpsIfd = ifd0 + 2 + ifd0Entries * 12 + 4;
        const int gpsEntries = 5;
        const int gpsData = gpsIfd + 2 + gpsEntries * 12 + 4;
        var latitudeAt = gpsData;
        var longitudeAt = latitudeAt + 24;
        var modelAt = longitudeAt + 24;

        var tiff = new byte[modelAt + model.Length];
        "II"u8.CopyTo(tiff);
        BinaryPrimitives.WriteUInt16LittleEndian(tiff.AsSpan(2), 42);
        BinaryPrimitives.WriteUInt32LittleEndian(tiff.AsSpan(4), ifd0);

        var at = ifd0;
        void Entry(ushort tag, ushort type, uint count, uint valueOrOffset)
        {
            BinaryPrimitives.WriteUInt16LittleEndian(tiff.AsSpan(at), tag);
            BinaryPrimitives.WriteUInt16LittleEndian(tiff.AsSpan(at + 2), type);
            BinaryPrimitives.WriteUInt32LittleEndian(tiff.AsSpan(at + 4), count);
            BinaryPrimitives.WriteUInt32LittleEndian(tiff.AsSpan(at + 8), valueOrOffset);
            at += 12;
        }

        const ushort Byte = 1, Ascii = 2, Short = 3, Long = 4, Rational = 5;
        BinaryPrimitives.WriteUInt16LittleEndian(tiff.AsSpan(at), ifd0Entries);
        at += 2;
        Entry(0x0110, Ascii, (uint)model.Length, (uint)modelAt); // Model
        Entry(0x0112, Short, 1, orientation); // Orientation (a SHORT sits in the low bytes of the value field)
        Entry(0x8825, Long, 1, gpsIfd); // GPSInfo IFD pointer
        at += 4; // no next IFD

        BinaryPrimitives.WriteUInt16LittleEndian(tiff.AsSpan(at), gpsEntries);
        at += 2;
        Entry(0x0000, Byte, 4, 0x00000302); // GPSVersionID 2.3.0.0
        Entry(0x0001, Ascii, 2, 'N'); // GPSLatitudeRef
        Entry(0x0002, Rational, 3, (uint)latitudeAt); // GPSLatitude
        Entry(0x0003, Ascii, 2, 'W'); // GPSLongitudeRef
        Entry(0x0004, Rational, 3, (uint)longitudeAt); // GPSLongitude

        RationalBytes(Latitude).CopyTo(tiff, latitudeAt);
        RationalBytes(Longitude).CopyTo(tiff, longitudeAt);
        model.CopyTo(tiff, modelAt);

        byte[] payload = [.. "Exif\0\0"u8, .. tiff];
        var segment = new byte[4 + payload.Length];
        segment[0] = 0xFF;
        segment[1] = 0xE1;
        BinaryPrimitives.WriteUInt16BigEndian(segment.AsSpan(2), (ushort)(2 + payload.Length));
        payload.CopyTo(segment, 4);
        return segment;
    }

    private static byte[] Chunk(string type, byte[] data)
    {
        var typeBytes = Encoding.ASCII.GetBytes(type);
        var chunk = new byte[12 + data.Length];
        BinaryPrimitives.WriteInt32BigEndian(chunk, data.Length);
        typeBytes.CopyTo(chunk, 4);
        data.CopyTo(chunk, 8);
        BinaryPrimitives.WriteUInt32BigEndian(chunk.AsSpan(8 + data.Length), Crc32(chunk.AsSpan(4, 4 + data.Length)));
        return chunk;
    }

    /// <summary>The CRC-32 a PNG chunk ends with (ISO 3309, as in zlib).</summary>
    private static uint Crc32(ReadOnlySpan<byte> bytes)
    {
        var crc = 0xFFFFFFFFu;
        foreach (var b in bytes)
        {
            crc ^= b;
            for (var k = 0; k < 8; k++)
            {
                crc = (crc & 1) != 0 ? 0xEDB88320u ^ (crc >> 1) : crc >> 1;
            }
        }

        return ~crc;
    }
}
