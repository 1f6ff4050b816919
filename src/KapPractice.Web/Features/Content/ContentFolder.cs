using KapPractice.Web.Domain;
using KapPractice.Web.Infrastructure.Data;
using Microsoft.EntityFrameworkCore;

namespace KapPractice.Web.Features.Content;

/// <summary>One Markdown file of a content folder, with what it is.</summary>
/// <param name="Slug">The page's name (<see cref="SitePages"/>) or the article's address.</param>
public sealed record ContentFolderEntry(ContentKind Kind, string Slug, ContentFile File);

/// <summary>
/// A folder of Markdown files in the site's layout: <c>home.md</c>, <c>about.md</c>, <c>privacy.md</c>, <c>fees.md</c>
/// and <c>articles/*.md</c>. The site's first content comes from one (Content/); <c>export-content</c> writes one and
/// <c>import-content</c> reads one (docs/operations.md).
/// </summary>
public static class ContentFolder
{
    public const string ArticlesFolder = "articles";

    /// <summary>Every page and article in <paramref name="directory"/>; a file that cannot be read stops the whole read.</summary>
    public static IReadOnlyList<ContentFolderEntry> Read(string directory)
    {
        var entries = new List<ContentFolderEntry>();
        foreach (var key in SitePages.All)
        {
            var path = Path.Combine(directory, key + ".md");
            if (File.Exists(path))
            {
                entries.Add(new ContentFolderEntry(ContentKind.Page, key, MarkdownContent.Read(File.ReadAllText(path), key + ".md")));
            }
        }

        var articles = Path.Combine(directory, ArticlesFolder);
        if (Directory.Exists(articles))
        {
            foreach (var path in Directory.EnumerateFiles(articles, "*.md").Order(StringComparer.Ordinal))
            {
                var name = Path.GetFileName(path);
                var file = MarkdownContent.Read(File.ReadAllText(path), name);
                if (file.Author is null || file.Published is null)
                {
                    throw new InvalidDataException($"{name}: the front matter needs 'author' and 'published'.");
                }

                entries.Add(new ContentFolderEntry(ContentKind.Article, MarkdownContent.ArticleSlug(file, name), file));
            }
        }

        var duplicate = entries.Where(e => e.Kind == ContentKind.Article).GroupBy(e => e.Slug, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
        return duplicate is null ? entries : throw new InvalidDataException($"Two articles share the slug '{duplicate.Key}'.");
    }

    /// <summary>
    /// Adds each entry as a new revision of the page or article it names (creating it if new), published unless the
    /// file says <c>draft: true</c>. Returns how many; the caller saves and commits (a transaction is open: revisions
    /// are saved here to get their ids).
    /// </summary>
    public static async Task<int> ApplyAsync(KapDbContext db, IReadOnlyList<ContentFolderEntry> entries, string actor, string note, DateTime nowUtc, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(entries);
        foreach (var entry in entries)
        {
            var item = await db.ContentItems.Include(i => i.Revisions)
                .SingleOrDefaultAsync(i => i.Kind == entry.Kind && i.Slug == entry.Slug && i.DeletedUtc == null, cancellationToken);
            if (item is null)
            {
                item = new ContentItem { Kind = entry.Kind, Slug = entry.Slug, ChangedBy = actor, ChangedUtc = nowUtc };
                db.ContentItems.Add(item);
            }

            var revision = NewRevision(entry.File, entry.Slug, item.Revisions.Count == 0 ? 1 : item.Revisions.Max(r => r.Number) + 1, actor, nowUtc, note);
            item.Revisions.Add(revision);
            item.ChangedBy = actor;
            item.ChangedUtc = nowUtc;
            await db.SaveChangesAsync(cancellationToken);
            if (!entry.File.Draft)
            {
                await ContentPublishing.PublishAsync(db, item, revision, nowUtc, cancellationToken);
            }
        }

        await ContentPublishing.BumpVersionAsync(db, cancellationToken);
        return entries.Count;
    }

    /// <summary>A file's front matter and text as revision <paramref name="number"/> of the item at <paramref name="slug"/>.</summary>
    public static ContentRevision NewRevision(ContentFile file, string slug, int number, string actor, DateTime nowUtc, string? note)
    {
        ArgumentNullException.ThrowIfNull(file);
        return new ContentRevision
        {
            Number = number,
            Title = file.Title,
            Slug = slug,
            Summary = file.Summary,
            Author = file.Author ?? string.Empty,
            PublishedOn = file.Published,
            UpdatedOn = file.Updated,
            ImageName = file.Image,
            Body = file.Body,
            SavedUtc = nowUtc,
            SavedBy = actor,
            Note = note,
        };
    }
}
