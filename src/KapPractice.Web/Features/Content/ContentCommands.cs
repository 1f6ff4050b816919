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
public static partial class ContentCommands
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

    private static string SafeFileName(string name) => Path.GetFileName(name.Replace('\\', '/'));

    private static string Number(int value) => value.ToString(CultureInfo.InvariantCulture);
}
