using KapPractice.Web.Domain;
using KapPractice.Web.Features.Content;
using KapPractice.Web.Features.Content.Images;
using KapPractice.Web.Infrastructure.Data;
using Microsoft.EntityFrameworkCore;

namespace KapPractice.Web.Features.ContentEditing;

/// <summary>What the picture library's pages show: its pictures with their files, and where each is used.</summary>
public static class ContentImagePages
{
    /// <summary>The confirmation page before a picture is deleted: the picture, and the pages that still show it.</summary>
    public static async Task<ContentImageDeletePage> DeletePageAsync(KapDbContext db, ContentImage image, CancellationToken cancellationToken)
    {
        var uses = await UsesAsync(db, cancellationToken);
        var thumb = await db.ContentImageFiles.AsNoTracking().Where(f => f.ContentImageId == image.Id).OrderBy(f => f.Width)
            .Select(f => f.FileName).FirstOrDefaultAsync(cancellationToken);
        return new ContentImageDeletePage(image.Id, image.IsDecorative ? "A decorative picture" : image.Alt,
            thumb is null ? null : ContentRenderer.MediaPath + thumb, UsedBy(uses, image.Key));
    }

    /// <summary>The picture library: every picture with its smallest file, its Markdown line, its size and where it is used.</summary>
    public static async Task<ContentImagesPage> ListPageAsync(KapDbContext db, ImageUploadForm form, string maxSize, CancellationToken cancellationToken)
    {
        var images = await db.ContentImages.AsNoTracking().OrderByDescending(i => i.UploadedUtc).ThenByDescending(i => i.Id)
            .Select(i => new { i.Id, i.Key, i.Alt, i.IsDecorative, i.Width, i.Height, i.UploadedUtc, i.UploadedBy }).ToListAsync(cancellationToken);
        var files = (await db.ContentImageFiles.AsNoTracking()
                .Select(f => new { f.ContentImageId, f.FileName, f.Width, f.Height, Size = f.Bytes.Length }).ToListAsync(cancellationToken))
            .ToLookup(f => f.ContentImageId);
        var uses = await UsesAsync(db, cancellationToken);
        var rows = images.Select(i =>
        {
            var own = files[i.Id].ToList();
            var smallest = own.MinBy(f => f.Width);
            var src = own.Count == 0 ? null : ProcessedImage.SrcFile(own, f => f.Width);
            var alt = i.IsDecorative ? string.Empty : i.Alt;
            return new ContentImageRow(
                i.Id, i.Key, i.Alt, i.IsDecorative, i.Width, i.Height, own.Sum(f => (long)f.Size),
                smallest is null ? null : new ContentImageFileView(smallest.FileName, smallest.Width, smallest.Height),
                src is null ? null : $"![{alt}]({ContentRenderer.MediaPath}{src.FileName})",
                i.UploadedUtc, i.UploadedBy, UsedBy(uses, i.Key));
        }).ToList();
        return new ContentImagesPage(rows, form, maxSize);
    }

    /// <summary>Every revision a visitor sees or will see (published, scheduled) and each latest draft, with what it holds.</summary>
    private static async Task<List<RevisionUse>> UsesAsync(KapDbContext db, CancellationToken cancellationToken)
    {
        var items = await db.ContentItems.AsNoTracking().Where(i => i.DeletedUtc == null)
            .Select(i => new
            {
                i.Id,
                i.PublishedRevisionId,
                i.ScheduledRevisionId,
                Latest = i.Revisions.OrderByDescending(r => r.Number).Select(r => (int?)r.Id).FirstOrDefault(),
            })
            .ToListAsync(cancellationToken);
        var ids = items.SelectMany(i => new[] { i.PublishedRevisionId, i.ScheduledRevisionId, i.Latest }).OfType<int>().Distinct().ToList();
        var titles = new Dictionary<int, string>();
        var revisions = await db.ContentRevisions.AsNoTracking().Where(r => ids.Contains(r.Id))
            .Select(r => new { r.Id, r.ContentItemId, r.Title, r.ImageName, r.Body }).ToListAsync(cancellationToken);
        foreach (var item in items)
        {
            if (revisions.FirstOrDefault(r => r.Id == item.Latest) is { } latest)
            {
                titles[item.Id] = latest.Title;
            }
        }

        return [.. revisions.Select(r => new RevisionUse(r.ContentItemId, titles.GetValueOrDefault(r.ContentItemId, r.Title), r.ImageName, r.Body))];
    }

    private static List<ContentImageUse> UsedBy(List<RevisionUse> uses, string key)
    {
        var marker = ContentRenderer.MediaPath + key + "-";
        return [.. uses.Where(u => u.ImageName == key || u.Body.Contains(marker, StringComparison.Ordinal))
            .GroupBy(u => u.ItemId)
            .Select(g => new ContentImageUse(g.First().Title, ContentPaths.Editor(g.Key)))
            .OrderBy(u => u.Title, StringComparer.CurrentCulture)];
    }

    private sealed record RevisionUse(int ItemId, string Title, string? ImageName, string Body);
}
