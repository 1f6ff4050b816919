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
    [UnitOfWork(ContentPublishing.ChangesSection)]
    [RequestSizeLimit(MaxUploadRequestBytes)]
    [RequestFormLimits(MultipartBodyLengthLimit = MaxUploadRequestBytes, ValueCountLimit = 20, KeyLengthLimit = 100)]
    public async Task<IActionResult> Upload([FromForm] ImageUploadForm form, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(form);
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
        var key = image.Key;
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
    [UnitOfWork(ContentPublishing.ChangesSection)]
    public async Task<IActionResult> ChangeAlt(int id, [FromForm] string? alt, [FromForm] bool decorative, CancellationToken cancellationToken)
    {
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
    [UnitOfWork(ContentPublishing.ChangesSection)]
    public async Task<IActionResult> Delete(int id, CancellationToken cancellationToken)
    {
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

    private Task<ContentImageDeletePage> DeletePageAsync(ContentImage image, CancellationToken cancellationToken) =>
        ContentImagePages.DeletePageAsync(db, image, cancellationToken);

    private Task<ContentImagesPage> PageAsync(ImageUploadForm form, CancellationToken cancellationToken) =>
        ContentImagePages.ListPageAsync(db, form, ImageProcessor.Megabytes(options.Value.MaxImageBytes), cancellationToken);
}
