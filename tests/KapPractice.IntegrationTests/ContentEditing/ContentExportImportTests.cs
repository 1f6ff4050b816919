using System.Buffers.Binary;
using KapPractice.IntegrationTests.AtRest;
using KapPractice.Web.Domain;
using KapPractice.Web.Features.Content;
using KapPractice.Web.Infrastructure;
using KapPractice.Web.Infrastructure.Audit;
using Microsoft.EntityFrameworkCore;

namespace KapPractice.IntegrationTests.ContentEditing;

/// <summary>export-content → a fresh site → import-content: what visitors see, her newer drafts and every image arrive unchanged.</summary>
public sealed class ContentExportImportTests
{
    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.PostgreSql)]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public async Task An_export_imported_into_a_fresh_site_round_trips_every_page_article_draft_and_image(DatabaseProvider provider)
    {
        using var folders = new TempFolder();
        var export = folders.Sub("moving/content");
        List<ItemState> before;
        List<ImageState> imagesBefore;
        await using (var original = new KapPracticeFactory { Provider = provider })
        {
            await original.WithDbAsync(async db =>
            {
                db.ContentImages.Add(new ContentImage
                {
                    Key = "garden-path",
                    Alt = "A path through a garden: \"quiet\", green, and a bench",
                    Width = 1600,
                    Height = 900,
                    UploadedBy = "tester",
                    Files =
                    [
                        new ContentImageFile { FileName = "ab12cd-480.webp", Width = 480, Height = 270, ContentType = "image/webp", Bytes = WebP(480, 270) },
                        new ContentImageFile { FileName = "ab12cd-960.png", Width = 960, Height = 540, ContentType = "image/png", Bytes = Png(960, 540) },
                    ],
                });
                db.ContentImages.Add(new ContentImage
                {
                    Key = "texture",
                    Alt = string.Empty,
                    IsDecorative = true,
                    Width = 20,
                    Height = 10,
                    UploadedBy = "tester",
                    Files = [new ContentImageFile { FileName = "ef34-20.jpg", Width = 20, Height = 10, ContentType = "image/jpeg", Bytes = Jpeg(20, 10) }],
                });

                var live = Revision(1, "Walking: a quiet practice", "walking", "Why walking helps # really", "Dr. Kap", "garden-path", "Walk.\n\n![Garden](/media/garden-path-960.webp)\n\n- one\n- two");
                var newer = Revision(2, "Walking, revised", "walking-revised", "A newer summary", "Dr. Kap", null, "A newer *draft* body.");
                var walking = new ContentItem { Kind = ContentKind.Article, Slug = "walking", ChangedBy = "tester", Revisions = [live, newer] };
                var unpublished = new ContentItem
                {
                    Kind = ContentKind.Article,
                    Slug = "not-yet",
                    ChangedBy = "tester",
                    Revisions = [Revision(1, "Not yet", "not-yet", "Only a draft", "Dr. Kap", null, "Draft text.")],
                };
                db.ContentItems.AddRange(walking, unpublished);
                await db.SaveChangesAsync();
                walking.PublishedRevisionId = live.Id;

                var about = await db.ContentItems.Include(i => i.Revisions).SingleAsync(i => i.Kind == ContentKind.Page && i.Slug == SitePages.About);
                about.Revisions.Add(Revision(about.Revisions.Max(r => r.Number) + 1, "About me (new)", SitePages.About, "A newer bio", string.Empty, "texture", "My newer bio."));
                await db.SaveChangesAsync();
                return 0;
            });
            before = await original.WithDbAsync(StatesAsync);
            imagesBefore = await original.WithDbAsync(ImagesAsync);
            using var output = new StringWriter();

            Assert.Equal(0, await ContentCommands.ExportAsync(original.Services, export, output, CancellationToken.None));

            Assert.Contains("2 image(s)", output.ToString(), StringComparison.Ordinal);
            Assert.Contains(await original.WithDbAsync(db => db.AuditEntries.ToListAsync()), e => e.Action == AuditActions.ContentExported && e.Actor == ContentCommands.ExportActor);
        }

        Assert.Equal(OwnerOnlyFiles.FolderMode, File.GetUnixFileMode(export));
        Assert.Equal(OwnerOnlyFiles.FileMode, File.GetUnixFileMode(Path.Combine(export, "articles", "walking.md")));
        Assert.Contains("draft: true", await File.ReadAllTextAsync(Path.Combine(export, "articles", "not-yet.md")), StringComparison.Ordinal);
        Assert.DoesNotContain("draft:", await File.ReadAllTextAsync(Path.Combine(export, "articles", "walking.md")), StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(export, "drafts", "articles", "walking.md")));
        Assert.True(File.Exists(Path.Combine(export, "images", "images.csv")));

        await using var fresh = new KapPracticeFactory { Provider = provider };
        using (var output = new StringWriter())
        {
            Assert.Equal(0, await ContentCommands.ImportAsync(fresh.Services, export, output, CancellationToken.None));
            Assert.Contains("2 new image(s)", output.ToString(), StringComparison.Ordinal);
        }

        var after = await fresh.WithDbAsync(StatesAsync);
        Assert.Equal(before.Select(s => (s.Kind, s.Slug)), after.Select(s => (s.Kind, s.Slug)));
        foreach (var (expected, actual) in before.Zip(after))
        {
            Assert.Equal(expected.Live, actual.Live);
            Assert.Equal(expected.Newest, actual.Newest);
        }

        Assert.Equal(imagesBefore, await fresh.WithDbAsync(ImagesAsync));
        Assert.Contains(await fresh.WithDbAsync(db => db.AuditEntries.ToListAsync()), e => e.Action == AuditActions.ContentImported && e.Actor == ContentCommands.ImportActor);
        var walkingNow = await fresh.WithDbAsync(db => db.ContentRevisions.Where(r => r.Slug == "walking").ToListAsync());
        Assert.All(walkingNow, r => Assert.Equal(ContentCommands.ImportNote, r.Note));
    }

    [Fact]
    public async Task A_missing_empty_or_bad_folder_is_refused_and_nothing_of_it_is_stored()
    {
        using var folders = new TempFolder();
        await using var app = new KapPracticeFactory();
        var revisions = await app.WithDbAsync(db => db.ContentRevisions.CountAsync());
        var images = await app.WithDbAsync(db => db.ContentImages.CountAsync());

        async Task<(int Code, string Output)> ImportAsync(string? folder)
        {
            using var output = new StringWriter();
            var code = await ContentCommands.ImportAsync(app.Services, folder, output, CancellationToken.None);
            return (code, output.ToString());
        }

        Assert.Equal(CommandLine.UsageExitCode, (await ImportAsync(null)).Code);
        var missing = await ImportAsync(folders.Sub("nowhere"));
        Assert.Equal(1, missing.Code);
        Assert.Contains("There is no folder", missing.Output, StringComparison.Ordinal);
        Directory.CreateDirectory(folders.Sub("empty"));
        var empty = await ImportAsync(folders.Sub("empty"));
        Assert.Equal(1, empty.Code);
        Assert.Contains("holds no content", empty.Output, StringComparison.Ordinal);

        // A good page beside an image whose bytes are not what the index says.
        var lying = folders.Sub("lying");
        Directory.CreateDirectory(Path.Combine(lying, "images"));
        await File.WriteAllTextAsync(Path.Combine(lying, "home.md"), "---\ntitle: \"Home\"\nsummary: \"s\"\n---\n\nImported home.\n");
        await File.WriteAllTextAsync(Path.Combine(lying, "images", "images.csv"), "key,alt,decorative,image_width,image_height,file,width,height,content_type\nphoto,A photo,false,10,10,photo-10.png,10,10,image/png\n");
        await File.WriteAllTextAsync(Path.Combine(lying, "images", "photo-10.png"), "<svg xmlns=\"http://www.w3.org/2000/svg\"/>");
        var refused = await ImportAsync(lying);
        Assert.Equal(1, refused.Code);
        Assert.Contains("photo-10.png: the file is not a image/png image.", refused.Output, StringComparison.Ordinal);

        // Pages are applied, then a draft for an article that exists nowhere stops it: the transaction takes the pages back.
        var half = folders.Sub("half");
        Directory.CreateDirectory(Path.Combine(half, "drafts", "articles"));
        await File.WriteAllTextAsync(Path.Combine(half, "home.md"), "---\ntitle: \"Home\"\nsummary: \"s\"\n---\n\nImported home.\n");
        await File.WriteAllTextAsync(Path.Combine(half, "drafts", "articles", "ghost.md"), "---\ntitle: \"Ghost\"\nsummary: \"s\"\nauthor: \"a\"\npublished: \"2026-01-02\"\ndraft: true\n---\n\nBoo.\n");
        var rolledBack = await ImportAsync(half);
        Assert.Equal(1, rolledBack.Code);
        Assert.Contains("'ghost' belongs to no page or article", rolledBack.Output, StringComparison.Ordinal);

        Assert.Equal(revisions, await app.WithDbAsync(db => db.ContentRevisions.CountAsync()));
        Assert.Equal(images, await app.WithDbAsync(db => db.ContentImages.CountAsync()));
        Assert.DoesNotContain(await app.WithDbAsync(db => db.ContentRevisions.ToListAsync()), r => r.Body.Contains("Imported home", StringComparison.Ordinal));
        Assert.DoesNotContain(await app.WithDbAsync(db => db.AuditEntries.ToListAsync()), e => e.Action == AuditActions.ContentImported);
    }

    [Fact]
    public async Task An_article_for_the_address_of_one_she_deleted_is_refused_with_a_message_and_nothing_is_stored()
    {
        using var folders = new TempFolder();
        await using var app = new KapPracticeFactory();
        var (client, _) = await app.SignedInClientAsync();
        var article = await app.WithDbAsync(db => db.ContentItems.SingleAsync(i => i.Kind == ContentKind.Article));
        using (var deleted = await client.PostAdminFormAsync($"/admin/content/{article.Id}/delete", $"/admin/content/{article.Id}/delete"))
        {
            Assert.Equal(System.Net.HttpStatusCode.Redirect, deleted.StatusCode);
        }

        var revisions = await app.WithDbAsync(db => db.ContentRevisions.CountAsync());
        var folder = folders.Sub("back");
        Directory.CreateDirectory(Path.Combine(folder, "articles"));
        await File.WriteAllTextAsync(Path.Combine(folder, "home.md"), "---\ntitle: \"Home\"\nsummary: \"s\"\n---\n\nImported home.\n");
        await File.WriteAllTextAsync(Path.Combine(folder, "articles", article.Slug + ".md"),
            "---\ntitle: \"Back\"\nsummary: \"s\"\nauthor: \"a\"\npublished: \"2026-01-02\"\n---\n\nBack again.\n");
        using var output = new StringWriter();

        Assert.Equal(1, await ContentCommands.ImportAsync(app.Services, folder, output, CancellationToken.None));

        Assert.Contains($"Nothing was imported: the article for /articles/{article.Slug} cannot have that address here. An article you deleted had this address", output.ToString(), StringComparison.Ordinal);
        Assert.Equal(revisions, await app.WithDbAsync(db => db.ContentRevisions.CountAsync()));
        Assert.Equal(System.Net.HttpStatusCode.Gone, (await app.CreateClient().GetAsync($"/articles/{article.Slug}")).StatusCode);
    }

    [Fact]
    public async Task An_export_made_before_an_article_was_renamed_is_refused_with_the_articles_new_address()
    {
        using var folders = new TempFolder();
        await using var app = new KapPracticeFactory();
        var (client, _) = await app.SignedInClientAsync();
        var article = await app.WithDbAsync(db => db.ContentItems.Include(i => i.Revisions).SingleAsync(i => i.Kind == ContentKind.Article));
        var latest = article.Revisions.OrderBy(r => r.Number).Last();
        var before = folders.Sub("before");
        using (var exported = new StringWriter())
        {
            Assert.Equal(0, await ContentCommands.ExportAsync(app.Services, before, exported, CancellationToken.None));
        }

        using (var renamed = await client.PostAdminFormAsync($"/admin/content/{article.Id}", $"/admin/content/{article.Id}",
            ("Title", latest.Title), ("Slug", "benefits-of-kap"), ("Author", latest.Author), ("Summary", latest.Summary),
            ("PublishedOn", latest.PublishedOn!.Value.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture)),
            ("Body", latest.Body), ("Action", "Publish"), ("BaseRevision", latest.Number.ToString(System.Globalization.CultureInfo.InvariantCulture))))
        {
            Assert.Equal(System.Net.HttpStatusCode.Redirect, renamed.StatusCode);
        }

        var revisions = await app.WithDbAsync(db => db.ContentRevisions.CountAsync());
        using var output = new StringWriter();

        Assert.Equal(1, await ContentCommands.ImportAsync(app.Services, before, output, CancellationToken.None));

        Assert.Contains($"Nothing was imported: /articles/{article.Slug} belongs to the article now at /articles/benefits-of-kap", output.ToString(), StringComparison.Ordinal);
        Assert.Contains("change its slug: line (and its file name) to benefits-of-kap", output.ToString(), StringComparison.Ordinal);
        Assert.Equal(revisions, await app.WithDbAsync(db => db.ContentRevisions.CountAsync()));
    }

    private sealed record RevisionState(string Title, string Slug, string Summary, string Author, DateOnly? PublishedOn, DateOnly? UpdatedOn, string? ImageName, string Body);

    private sealed record ItemState(ContentKind Kind, string Slug, RevisionState? Live, RevisionState Newest);

    private sealed record ImageState(string Key, string Alt, bool IsDecorative, int Width, int Height, string Files);

    private static async Task<List<ItemState>> StatesAsync(Web.Infrastructure.Data.KapDbContext db)
    {
        var items = await db.ContentItems.AsNoTracking().Include(i => i.Revisions).Where(i => i.DeletedUtc == null).ToListAsync();
        return [.. items.OrderBy(i => i.Kind).ThenBy(i => i.Slug, StringComparer.Ordinal).Select(i => new ItemState(
            i.Kind,
            i.Slug,
            i.Revisions.SingleOrDefault(r => r.Id == i.PublishedRevisionId) is { } live ? State(live) : null,
            State(i.Revisions.MaxBy(r => r.Number)!)))];
    }

    private static RevisionState State(ContentRevision r) =>
        new(r.Title, r.Slug, r.Summary, r.Author, r.PublishedOn, r.UpdatedOn, r.ImageName, r.Body.ReplaceLineEndings("\n").Trim('\n'));

    private static async Task<List<ImageState>> ImagesAsync(Web.Infrastructure.Data.KapDbContext db)
    {
        var images = await db.ContentImages.AsNoTracking().Include(i => i.Files).OrderBy(i => i.Key).ToListAsync();
        return [.. images.Select(i => new ImageState(i.Key, i.Alt, i.IsDecorative, i.Width, i.Height, string.Join(";",
            i.Files.OrderBy(f => f.FileName, StringComparer.Ordinal).Select(f => $"{f.FileName} {f.Width}x{f.Height} {f.ContentType} {Convert.ToHexString(f.Bytes)}"))))];
    }

    private static ContentRevision Revision(int number, string title, string slug, string summary, string author, string? image, string body) => new()
    {
        Number = number,
        Title = title,
        Slug = slug,
        Summary = summary,
        Author = author,
        PublishedOn = new DateOnly(2026, 3, number),
        UpdatedOn = number > 1 ? new DateOnly(2026, 4, number) : null,
        ImageName = image,
        Body = body,
        SavedBy = "tester",
        Note = "by hand",
    };

    /// <summary>The start of a PNG: its signature and header chunk, which record the size.</summary>
    private static byte[] Png(int width, int height)
    {
        var bytes = new byte[33];
        new byte[] { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13, (byte)'I', (byte)'H', (byte)'D', (byte)'R' }.CopyTo(bytes, 0);
        BinaryPrimitives.WriteUInt32BigEndian(bytes.AsSpan(16), (uint)width);
        BinaryPrimitives.WriteUInt32BigEndian(bytes.AsSpan(20), (uint)height);
        bytes[24] = 8;
        bytes[25] = 2;
        return bytes;
    }

    /// <summary>The start of an extended WebP (RIFF, WEBP, VP8X with the size less one).</summary>
    private static byte[] WebP(int width, int height)
    {
        var bytes = new byte[40];
        "RIFF"u8.CopyTo(bytes);
        BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(4), 32);
        "WEBPVP8X"u8.CopyTo(bytes.AsSpan(8));
        bytes[16] = 10;
        bytes[24] = (byte)((width - 1) & 0xFF);
        bytes[25] = (byte)((width - 1) >> 8);
        bytes[27] = (byte)((height - 1) & 0xFF);
        bytes[28] = (byte)((height - 1) >> 8);
        return bytes;
    }

    /// <summary>The start of a JPEG: start of image, then a baseline start of frame with the size.</summary>
    private static byte[] Jpeg(int width, int height)
    {
        byte[] bytes = [0xFF, 0xD8, 0xFF, 0xE0, 0, 4, 0, 0, 0xFF, 0xC0, 0, 11, 8, 0, 0, 0, 0, 1, 1, 0x11, 0, 0xFF, 0xD9];
        BinaryPrimitives.WriteUInt16BigEndian(bytes.AsSpan(13), (ushort)height);
        BinaryPrimitives.WriteUInt16BigEndian(bytes.AsSpan(15), (ushort)width);
        return bytes;
    }
}
