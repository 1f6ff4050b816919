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

/// <summary>import-content: reading a content folder back in, all or nothing.</summary>
public static partial class ContentCommands
{

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
            await ContentPublishing.LockChangesAsync(db, cancellationToken);
            if (await FirstTakenAddressAsync(db, entries, cancellationToken) is { } taken)
            {
                await output.WriteLineAsync($"Nothing was imported: {taken}");
                return 1;
            }

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

    /// <summary>
    /// The first article whose address is not free for it here (a deleted article's, which answers 410; an old address
    /// of an article renamed here, this one's included; another's scheduled rename), said for whoever runs the command;
    /// null when every one is free.
    /// </summary>
    private static async Task<string?> FirstTakenAddressAsync(KapDbContext db, IReadOnlyList<ContentFolderEntry> entries, CancellationToken cancellationToken)
    {
        foreach (var entry in entries.Where(e => e.Kind == ContentKind.Article))
        {
            var id = await db.ContentItems.Where(i => i.Kind == ContentKind.Article && i.Slug == entry.Slug && i.DeletedUtc == null)
                .Select(i => i.Id).FirstOrDefaultAsync(cancellationToken);
            // An export made before the article was renamed: the old address now redirects to the same article's new one.
            var movedTo = id != 0 ? null : await db.ContentRedirects.Where(r => r.FromSlug == entry.Slug)
                .Join(db.ContentItems.Where(i => i.DeletedUtc == null), r => r.ContentItemId, i => i.Id, (r, i) => i.Slug)
                .FirstOrDefaultAsync(cancellationToken);
            if (movedTo is not null)
            {
                return $"{Article.PathOf(entry.Slug)} belongs to the article now at {Article.PathOf(movedTo)} (it was renamed here, and its old links lead there). "
                    + $"If the file is that article, change its slug: line (and its file name) to {movedTo}, or export again; otherwise give it another address.";
            }

            if (await ContentPublishing.AddressProblemAsync(db, id, entry.Slug, cancellationToken) is { } problem)
            {
                return $"the article for {Article.PathOf(entry.Slug)} cannot have that address here. {problem}";
            }
        }

        return null;
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

    private static int Positive(string value, string where) =>
        int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var number) && number is > 0 and <= 100_000
            ? number
            : throw new InvalidDataException($"{where}: '{value}' is not a width or height in pixels.");
}
