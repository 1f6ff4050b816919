using KapPractice.Web.Domain;
using KapPractice.Web.Features.AdminShell;
using KapPractice.Web.Features.Content;
using KapPractice.Web.Features.Content.Images;
using KapPractice.Web.Infrastructure;
using KapPractice.Web.Infrastructure.Audit;
using KapPractice.Web.Infrastructure.Data;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace KapPractice.Web.Features.ContentEditing;

/// <summary>
/// Her picture library: upload a photo (re-encoded by <see cref="ImageProcessor"/>, so no EXIF or GPS position survives),
/// describe it, copy the Markdown line into an article, and delete one no page uses. See docs/practitioner-guide.md.
/// </summary>
[Authorize(Policy = AdminSetup.AdminPolicy)]
public sealed class ContentImagesController(
    KapDbContext db, AuditLog audit, UnitOfWork work, PublishedContent published, IOptions<ContentOptions> options, TimeProvider time) : Controller
{
    /// <summary>
    /// The request limit of the upload: above the largest <c>Content:MaxImageBytes</c> allowed (100 MB) plus the form's
    /// other fields, so an oversized photo reaches <see cref="ImageProcessor"/> and she reads why, not a bare 413.
    /// </summary>
    public const long MaxUploadRequestBytes = 101L * 1024 * 1024;

    public const string AltRequired = "Describe what the picture shows, or tick “decorative” if it adds nothing to the text.";

    [HttpGet(ContentImagePaths.List)]
    public async Task<IActionResult> Images(CancellationToken cancellationToken) =>
        View(await PageAsync(new ImageUploadForm(), cancellationToken));

    [HttpPost(ContentImagePaths.List)]
    [ProcessUploadBeforeTransaction]
    [UnitOfWork]
    [RequestSizeLimit(MaxUploadRequestBytes)]
    [RequestFormLimits(MultipartBodyLengthLimit = MaxUploadRequestBytes, ValueCountLimit = 20, KeyLengthLimit = 100)]
    public async Task<IActionResult> Upload([FromForm] ImageUploadForm form, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(form);
        await ContentPublishing.LockChangesAsync(db, cancellationToken);
        var alt = form.Alt?.Trim() ?? string.Empty;
        if (form.File is null || form.File.Length == 0)
        {
            ModelState.AddModelError(nameof(ImageUploadForm.File), "Choose a picture to upload: a JPEG, PNG or WebP file.");
        }

        if (alt.Length == 0 && !form.Decorative)
        {
            ModelState.AddModelError(nameof(ImageUploadForm.Alt), AltRequired);
        }
        else if (alt.Length > ContentImage.AltLength)
        {
            ModelState.AddModelError(nameof(ImageUploadForm.Alt), $"Keep the description under {ContentImage.AltLength} characters.");
        }

        var result = HttpContext.Items[ProcessUploadBeforeTransactionAttribute.ResultKey] as ImageProcessingResult;
        if (result is { Accepted: false })
        {
            ModelState.AddModelError(nameof(ImageUploadForm.File), result.Refusal);
        }

        if (!ModelState.IsValid || result is not { Accepted: true })
        {
            work.Discard();
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return View("Images", await PageAsync(form, cancellationToken));
        }

        var image = result.Image;
        var key = KeyOf(image);
        var names = image.Variants.Select(v => v.FileName).ToList();
        if (await db.ContentImages.AnyAsync(i => i.Key == key, cancellationToken)
            || await db.ContentImageFiles.AnyAsync(f => names.Contains(f.FileName), cancellationToken))
        {
            work.Discard();
            TempData.SetAdminFlash("This picture is already in your library: use the one below.");
            return Redirect(ContentImagePaths.List);
        }

        var largest = image.Largest;
        db.ContentImages.Add(new ContentImage
        {
            Key = key,
            Alt = form.Decorative && alt.Length == 0 ? string.Empty : alt,
            IsDecorative = form.Decorative,
            Width = largest.Width,
            Height = largest.Height,
            UploadedUtc = time.GetUtcNow().UtcDateTime,
            UploadedBy = User.AuditName(),
            Files = [.. image.Variants.Select(v => new ContentImageFile
            {
                FileName = v.FileName,
                Width = v.Width,
                Height = v.Height,
                ContentType = v.ContentType,
                Bytes = v.Bytes.ToArray(),
            })],
        });
        // The key and size only: the original file name may say who or where the photo is of.
        audit.Add(User.AuditName(), AuditActions.ImageUploaded, detail: $"image {key} ({image.Width}×{image.Height}, {image.SourceFormat})");
        await work.VisibleChangeAsync(db, published, cancellationToken);
        TempData.SetAdminFlash("Picture uploaded. Copy its Markdown line into an article, or choose it as a cover picture.");
        return Redirect(ContentImagePaths.List);
    }

    [HttpPost(ContentImagePaths.List + "/{id:int}/alt")]
    [UnitOfWork]
    public async Task<IActionResult> ChangeAlt(int id, [FromForm] string? alt, [FromForm] bool decorative, CancellationToken cancellationToken)
    {
        await ContentPublishing.LockChangesAsync(db, cancellationToken);
        if (await db.ContentImages.SingleOrDefaultAsync(i => i.Id == id, cancellationToken) is not { } image)
        {
            work.Discard();
            return NotFound();
        }

        var text = alt?.Trim() ?? string.Empty;
        if ((text.Length == 0 && !decorative) || text.Length > ContentImage.AltLength)
        {
            work.Discard();
            TempData.SetAdminFlash(text.Length == 0 ? AltRequired : $"Keep the description under {ContentImage.AltLength} characters.");
            return Redirect(ContentImagePaths.List + "#image-" + image.Key);
        }

        image.Alt = text;
        image.IsDecorative = decorative;
        audit.Add(User.AuditName(), AuditActions.ImageChanged, detail: $"image {image.Key}");
        // Pages show the description: they are rebuilt on every instance.
        await work.VisibleChangeAsync(db, published, cancellationToken);
        TempData.SetAdminFlash("Description saved.");
        return Redirect(ContentImagePaths.List);
    }

    [HttpGet(ContentImagePaths.List + "/{id:int}/delete")]
    public async Task<IActionResult> ConfirmDelete(int id, CancellationToken cancellationToken)
    {
        if (await db.ContentImages.AsNoTracking().SingleOrDefaultAsync(i => i.Id == id, cancellationToken) is not { } image)
        {
            return NotFound();
        }

        return View("ConfirmImageDelete", await DeletePageAsync(image, cancellationToken));
    }

    [HttpPost(ContentImagePaths.List + "/{id:int}/delete")]
    [UnitOfWork]
    public async Task<IActionResult> Delete(int id, CancellationToken cancellationToken)
    {
        await ContentPublishing.LockChangesAsync(db, cancellationToken);
        if (await db.ContentImages.SingleOrDefaultAsync(i => i.Id == id, cancellationToken) is not { } image)
        {
            work.Discard();
            return NotFound();
        }

        var page = await DeletePageAsync(image, cancellationToken);
        if (page.UsedBy.Count > 0)
        {
            work.Discard();
            Response.StatusCode = StatusCodes.Status409Conflict;
            return View("ConfirmImageDelete", page);
        }

        await db.ContentImageFiles.Where(f => f.ContentImageId == id).ExecuteDeleteAsync(cancellationToken);
        db.ContentImages.Remove(image);
        audit.Add(User.AuditName(), AuditActions.ImageDeleted, detail: $"image {image.Key}");
        await work.VisibleChangeAsync(db, published, cancellationToken);
        TempData.SetAdminFlash("Picture deleted.");
        return Redirect(ContentImagePaths.List);
    }

    /// <summary>
    /// The image's key: the hash in the name of the file its Markdown line points at (960 px wide, or the widest
    /// below), so the line she pastes is a real address and the same photo uploaded twice has the same key.
    /// </summary>
    internal static string KeyOf(ProcessedImage image)
    {
        ArgumentNullException.ThrowIfNull(image);
        var name = SrcVariant(image.Variants, v => v.Width).FileName;
        return name[..name.IndexOf('-', StringComparison.Ordinal)];
    }

    private static T SrcVariant<T>(IReadOnlyCollection<T> files, Func<T, int> width) =>
        files.Where(f => width(f) <= 960).MaxBy(width) ?? files.MinBy(width)!;


    private async Task<ContentImageDeletePage> DeletePageAsync(ContentImage image, CancellationToken cancellationToken)
    {
        var uses = await UsesAsync(cancellationToken);
        var thumb = await db.ContentImageFiles.AsNoTracking().Where(f => f.ContentImageId == image.Id).OrderBy(f => f.Width)
            .Select(f => f.FileName).FirstOrDefaultAsync(cancellationToken);
        return new ContentImageDeletePage(image.Id, image.IsDecorative ? "A decorative picture" : image.Alt,
            thumb is null ? null : ContentRenderer.MediaPath + thumb, UsedBy(uses, image.Key));
    }

    private async Task<ContentImagesPage> PageAsync(ImageUploadForm form, CancellationToken cancellationToken)
    {
        var images = await db.ContentImages.AsNoTracking().OrderByDescending(i => i.UploadedUtc).ThenByDescending(i => i.Id)
            .Select(i => new { i.Id, i.Key, i.Alt, i.IsDecorative, i.Width, i.Height, i.UploadedUtc, i.UploadedBy }).ToListAsync(cancellationToken);
        var files = (await db.ContentImageFiles.AsNoTracking()
                .Select(f => new { f.ContentImageId, f.FileName, f.Width, f.Height, Size = f.Bytes.Length }).ToListAsync(cancellationToken))
            .ToLookup(f => f.ContentImageId);
        var uses = await UsesAsync(cancellationToken);
        var rows = images.Select(i =>
        {
            var own = files[i.Id].ToList();
            var smallest = own.MinBy(f => f.Width);
            var src = own.Count == 0 ? null : SrcVariant(own, f => f.Width);
            var alt = i.IsDecorative ? string.Empty : i.Alt;
            return new ContentImageRow(
                i.Id, i.Key, i.Alt, i.IsDecorative, i.Width, i.Height, own.Sum(f => (long)f.Size),
                smallest is null ? null : new ContentImageFileView(smallest.FileName, smallest.Width, smallest.Height),
                src is null ? null : $"![{alt}]({ContentRenderer.MediaPath}{src.FileName})",
                i.UploadedUtc, i.UploadedBy, UsedBy(uses, i.Key));
        }).ToList();
        return new ContentImagesPage(rows, form, ImageProcessor.Megabytes(options.Value.MaxImageBytes));
    }

    /// <summary>Every revision a visitor sees or will see (published, scheduled) and each latest draft, with what it holds.</summary>
    private async Task<List<RevisionUse>> UsesAsync(CancellationToken cancellationToken)
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
