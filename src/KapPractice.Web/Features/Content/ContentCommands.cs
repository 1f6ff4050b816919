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
/// Command-line verbs run instead of the web server: <c>export-content --to DIR</c> writes every page and article as
/// Markdown with front matter, plus every image, so the site can move anywhere; <c>import-content --from DIR</c> reads
/// such a folder back, all of it or nothing. docs/operations.md.
/// </summary>
/// <remarks>
/// What an export holds, per page or article not deleted: the revision visitors see (or, for one never published, its
/// newest revision marked <c>draft: true</c>) in the folder's own layout, and when a newer draft waits beside a live
/// revision, that draft too under <c>drafts/</c>. Importing the folder so reproduces what visitors see and keeps her
/// unfinished work as the newest revision; a schedule is not carried over (the scheduled revision arrives as a draft).
/// </remarks>
public static class ContentCommands
{
    public const string ExportVerb = "export-content";
    public const string ImportVerb = "import-content";
    public const string ExportActor = "export-content command";
    public const string ImportActor = "import-content command";
    public const string ImportNote = "imported";
    public const string DraftsFolder = "drafts";
    public const string ImagesFolder = "images";
    public const string ImagesIndex = "images.csv";

    private static readonly string[] ImageColumns = ["key", "alt", "decorative", "image_width", "image_height", "file", "width", "height", "content_type"];

    /// <summary>This file's verbs, for the list an unknown verb prints (Program.Verbs).</summary>
    public static IReadOnlyList<string> VerbNames { get; } = [ExportVerb, ImportVerb];

    /// <summary>Runs the verb in <paramref name="args"/> if it is one of these; true means the process should exit (see Environment.ExitCode).</summary>
    public static async Task<bool> TryRunAsync(IHost app, string[] args)
    {
        ArgumentNullException.ThrowIfNull(app);
        ArgumentNullException.ThrowIfNull(args);
        switch (args.Length == 0 ? null : args[0])
        {
            case ExportVerb:
                Environment.ExitCode = await ExportAsync(app.Services, CommandLine.Option(args, "--to"), Console.Out, CancellationToken.None);
                return true;
            case ImportVerb:
                Environment.ExitCode = await ImportAsync(app.Services, CommandLine.Option(args, "--from"), Console.Out, CancellationToken.None);
                return true;
            default:
                return false;
        }
    }

    /// <summary>Writes the folder (owner-only: it may hold unpublished drafts); returns the exit code.</summary>
    public static async Task<int> ExportAsync(IServiceProvider services, string? to, TextWriter output, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(output);
        if (string.IsNullOrWhiteSpace(to))
        {
            await output.WriteLineAsync("Usage: export-content --to DIR (a new or empty folder); every page, article and image is written there.");
            return CommandLine.UsageExitCode;
        }

        var root = Path.GetFullPath(to);
        if (Directory.Exists(root) && Directory.EnumerateFileSystemEntries(root).Any())
        {
            await output.WriteLineAsync($"{root} is not empty; nothing was written. Give a new or empty folder.");
            return 1;
        }

        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<KapDbContext>();
        var items = await db.ContentItems.AsNoTracking().Include(i => i.Revisions)
            .Where(i => i.DeletedUtc == null)
            .OrderBy(i => i.Kind).ThenBy(i => i.Slug)
            .ToListAsync(cancellationToken);
        var images = await db.ContentImages.AsNoTracking().Include(i => i.Files).OrderBy(i => i.Key).ToListAsync(cancellationToken);

        int pages = 0, articles = 0, drafts = 0, files = 0;
        try
        {
            OwnerOnlyFiles.CreateFolder(root);
            foreach (var item in items.Where(i => i.Revisions.Count > 0))
            {
                var newest = item.Revisions.MaxBy(r => r.Number)!;
                var live = item.PublishedRevisionId is { } id ? item.Revisions.SingleOrDefault(r => r.Id == id) : null;
                WriteEntry(root, item, live ?? newest, draft: live is null);
                if (live is not null && newest.Number > live.Number)
                {
                    WriteEntry(Path.Combine(root, DraftsFolder), item, newest, draft: true);
                    drafts++;
                }

                _ = item.Kind == ContentKind.Page ? pages++ : articles++;
            }

            files = WriteImages(Path.Combine(root, ImagesFolder), images);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            await output.WriteLineAsync($"The export was not finished: {ex.Message}");
            return 1;
        }

        var detail = $"folder: {Path.GetFileName(root)}; pages: {pages}; articles: {articles}; newer drafts: {drafts}; images: {images.Count} ({files} files)";
        await AuditLog.RecordAsync(services, ExportActor, AuditActions.ContentExported, detail, cancellationToken);
        await output.WriteLineAsync(
            $"Exported {pages} page(s), {articles} article(s), {drafts} newer draft(s) and {images.Count} image(s) to {root}. " +
            "It may hold unpublished drafts: it is readable by this account only.");
        return 0;
    }

    /// <summary>Reads an exported folder into the database in one transaction (all or nothing); returns the exit code.</summary>
    public static async Task<int> ImportAsync(IServiceProvider services, string? from, TextWriter output, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(output);
        if (string.IsNullOrWhiteSpace(from))
        {
            await output.WriteLineAsync("Usage: import-content --from DIR (a folder export-content wrote, or one in the same layout).");
            return CommandLine.UsageExitCode;
        }

        var root = Path.GetFullPath(from);
        if (!Directory.Exists(root))
        {
            await output.WriteLineAsync($"There is no folder {root}; nothing was imported.");
            return 1;
        }

        IReadOnlyList<ContentFolderEntry> entries;
        List<DraftEntry> drafts;
        List<ContentImage> images;
        try
        {
            entries = ContentFolder.Read(root);
            drafts = ReadDrafts(Path.Combine(root, DraftsFolder));
            images = ReadImages(Path.Combine(root, ImagesFolder), services.GetRequiredService<IOptions<ContentOptions>>().Value.MaxImageBytes);
        }
        catch (Exception ex) when (ex is InvalidDataException or IOException or UnauthorizedAccessException)
        {
            await output.WriteLineAsync($"Nothing was imported: {ex.Message}");
            return 1;
        }

        if (entries.Count == 0 && drafts.Count == 0 && images.Count == 0)
        {
            await output.WriteLineAsync($"{root} holds no content (home.md, about.md, fees.md, privacy.md, articles/*.md or images/{ImagesIndex}); nothing was imported.");
            return 1;
        }

        var now = services.GetRequiredService<TimeProvider>().GetUtcNow().UtcDateTime;
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<KapDbContext>();
        int added;
        await using (var transaction = await db.Database.BeginTransactionAsync(cancellationToken))
        {
            added = await AddImagesAsync(db, images, now, cancellationToken);
            if (added < 0)
            {
                await output.WriteLineAsync("Nothing was imported: an image file's name is already used by another image in this site.");
                return 1;
            }

            await ContentFolder.ApplyAsync(db, entries, ImportActor, ImportNote, now, cancellationToken);
            if (await ApplyDraftsAsync(db, drafts, now, cancellationToken) is { } missing)
            {
                await output.WriteLineAsync($"Nothing was imported: {missing}");
                return 1;
            }

            new AuditLog(db, services.GetRequiredService<TimeProvider>()).Add(ImportActor, AuditActions.ContentImported,
                detail: $"folder: {Path.GetFileName(root)}; pages and articles: {entries.Count}; newer drafts: {drafts.Count}; new images: {added} of {images.Count}");
            await db.SaveChangesAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }

        await output.WriteLineAsync(
            $"Imported {entries.Count} page(s) and article(s) ({entries.Count(e => !e.File.Draft)} published), {drafts.Count} newer draft(s) " +
            $"and {added} new image(s) ({images.Count - added} already here) from {root}. A running site shows the change within seconds.");
        return 0;
    }

    private static void WriteEntry(string root, ContentItem item, ContentRevision revision, bool draft)
    {
        var file = new ContentFile(
            revision.Title,
            item.Kind == ContentKind.Article ? revision.Slug : null,
            revision.Summary,
            string.IsNullOrWhiteSpace(revision.Author) ? null : revision.Author,
            revision.PublishedOn,
            revision.UpdatedOn,
            draft,
            revision.ImageName,
            revision.Body);
        // Named after the item's address now (a draft may propose another in its front matter).
        var folder = item.Kind == ContentKind.Article ? Path.Combine(root, ContentFolder.ArticlesFolder) : root;
        OwnerOnlyFiles.CreateFolder(root);
        OwnerOnlyFiles.CreateFolder(folder);
        OwnerOnlyFiles.WriteAllBytes(Path.Combine(folder, item.Slug + ".md"), Encoding.UTF8.GetBytes(MarkdownContent.Write(file)));
    }

    private static int WriteImages(string folder, List<ContentImage> images)
    {
        if (images.Count == 0)
        {
            return 0;
        }

        OwnerOnlyFiles.CreateFolder(folder);
        using var text = new StringWriter(CultureInfo.InvariantCulture);
        var count = 0;
        using (var csv = CsvWriter.Create(text, CsvWriterOptions.Default, leaveOpen: true))
        {
            csv.WriteRecord(ImageColumns);
            foreach (var image in images)
            {
                foreach (var file in image.Files.OrderBy(f => f.Width).ThenBy(f => f.FileName, StringComparer.Ordinal))
                {
                    OwnerOnlyFiles.WriteAllBytes(Path.Combine(folder, SafeFileName(file.FileName)), file.Bytes);
                    csv.WriteRecord(
                    [
                        image.Key, image.Alt, image.IsDecorative ? "true" : "false", Number(image.Width), Number(image.Height),
                        file.FileName, Number(file.Width), Number(file.Height), file.ContentType,
                    ]);
                    count++;
                }
            }
        }

        OwnerOnlyFiles.WriteAllBytes(Path.Combine(folder, ImagesIndex), Encoding.UTF8.GetBytes(text.ToString()));
        return count;
    }

    /// <summary>The images the folder's index lists, each file read and checked; a problem stops the whole read.</summary>
    private static List<ContentImage> ReadImages(string folder, long maxBytes)
    {
        var index = Path.Combine(folder, ImagesIndex);
        if (!File.Exists(index))
        {
            return [];
        }

        var images = new Dictionary<string, ContentImage>(StringComparer.Ordinal);
        using var csv = CsvReader.Create(File.ReadAllBytes(index), CsvReaderOptions.Default);
        var line = 1;
        while (csv.Read())
        {
            line++;
            string Field(string name) => csv.GetString(name);
            var where = $"{ImagesIndex} line {line}";
            var key = Field("key");
            var fileName = Field("file");
            if (key.Length is 0 or > ContentImage.KeyLength || fileName.Length is 0 or > ContentImageFile.FileNameLength || SafeFileName(fileName) != fileName)
            {
                throw new InvalidDataException($"{where}: the key or file name is missing, too long or not a plain file name.");
            }

            var image = images.TryGetValue(key, out var known) ? known : images[key] = new ContentImage
            {
                Key = key,
                Alt = Field("alt"),
                IsDecorative = bool.TryParse(Field("decorative"), out var decorative) ? decorative : throw new InvalidDataException($"{where}: 'decorative' must be true or false."),
                Width = Positive(Field("image_width"), where),
                Height = Positive(Field("image_height"), where),
                UploadedBy = ImportActor,
            };
            if (image.Alt.Length > ContentImage.AltLength || (image.Alt.Length == 0 && !image.IsDecorative))
            {
                throw new InvalidDataException($"{where}: image '{key}' needs alt text of at most {ContentImage.AltLength} characters, or to be marked decorative.");
            }

            var path = Path.Combine(folder, fileName);
            var info = new FileInfo(path);
            if (!info.Exists || info.Length > maxBytes)
            {
                throw new InvalidDataException($"{where}: images/{fileName} is missing or larger than {maxBytes:N0} bytes.");
            }

            var file = new ContentImageFile
            {
                FileName = fileName,
                Width = Positive(Field("width"), where),
                Height = Positive(Field("height"), where),
                ContentType = Field("content_type"),
                Bytes = File.ReadAllBytes(path),
            };
            if (ImageHeader.Check(file.Bytes, file.ContentType, file.Width, file.Height) is { } problem)
            {
                throw new InvalidDataException($"images/{fileName}: {problem}");
            }

            image.Files.Add(file);
        }

        return [.. images.Values];
    }

    /// <summary>Adds the images whose key this site does not have yet; -1 when a file name is taken by another image.</summary>
    private static async Task<int> AddImagesAsync(KapDbContext db, IReadOnlyList<ContentImage> images, DateTime now, CancellationToken cancellationToken)
    {
        var keys = images.Select(i => i.Key).ToList();
        var present = await db.ContentImages.Where(i => keys.Contains(i.Key)).Select(i => i.Key).ToListAsync(cancellationToken);
        var added = images.Where(i => !present.Contains(i.Key)).ToList();
        var names = added.SelectMany(i => i.Files).Select(f => f.FileName).ToList();
        if (await db.ContentImageFiles.AnyAsync(f => names.Contains(f.FileName), cancellationToken))
        {
            return -1;
        }

        foreach (var image in added)
        {
            image.UploadedUtc = now;
            db.ContentImages.Add(image);
        }

        await db.SaveChangesAsync(cancellationToken);
        return added.Count;
    }

    /// <summary>A newer draft, named after the address of the page or article it belongs to.</summary>
    private sealed record DraftEntry(ContentKind Kind, string Slug, ContentFile File);

    private static List<DraftEntry> ReadDrafts(string folder)
    {
        var drafts = new List<DraftEntry>();
        if (!Directory.Exists(folder))
        {
            return drafts;
        }

        foreach (var key in SitePages.All)
        {
            var path = Path.Combine(folder, key + ".md");
            if (File.Exists(path))
            {
                drafts.Add(new DraftEntry(ContentKind.Page, key, MarkdownContent.Read(File.ReadAllText(path), $"{DraftsFolder}/{key}.md")));
            }
        }

        var articles = Path.Combine(folder, ContentFolder.ArticlesFolder);
        if (Directory.Exists(articles))
        {
            foreach (var path in Directory.EnumerateFiles(articles, "*.md").Order(StringComparer.Ordinal))
            {
                var name = Path.GetFileNameWithoutExtension(path);
                var file = MarkdownContent.Read(File.ReadAllText(path), $"{DraftsFolder}/{ContentFolder.ArticlesFolder}/{name}.md");
                MarkdownContent.ArticleSlug(file, name + ".md");
                drafts.Add(new DraftEntry(ContentKind.Article, name, file));
            }
        }

        return drafts;
    }

    /// <summary>Each newer draft becomes the newest revision of its item, unpublished; null, or what is missing.</summary>
    private static async Task<string?> ApplyDraftsAsync(KapDbContext db, IReadOnlyList<DraftEntry> drafts, DateTime now, CancellationToken cancellationToken)
    {
        foreach (var draft in drafts)
        {
            var item = await db.ContentItems.Include(i => i.Revisions)
                .SingleOrDefaultAsync(i => i.Kind == draft.Kind && i.Slug == draft.Slug && i.DeletedUtc == null, cancellationToken);
            if (item is null)
            {
                return $"the draft for '{draft.Slug}' belongs to no page or article in the folder or this site.";
            }

            var slug = draft.Kind == ContentKind.Article ? draft.File.Slug ?? draft.Slug : draft.Slug;
            item.Revisions.Add(ContentFolder.NewRevision(draft.File, slug, item.Revisions.Max(r => r.Number) + 1, ImportActor, now, ImportNote));
            item.ChangedBy = ImportActor;
            item.ChangedUtc = now;
        }

        await db.SaveChangesAsync(cancellationToken);
        return null;
    }

    private static string SafeFileName(string name) => Path.GetFileName(name.Replace('\\', '/'));

    private static string Number(int value) => value.ToString(CultureInfo.InvariantCulture);

    private static int Positive(string value, string where) =>
        int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var number) && number is > 0 and <= 100_000
            ? number
            : throw new InvalidDataException($"{where}: '{value}' is not a width or height in pixels.");
}

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
