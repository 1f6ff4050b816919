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

/// <summary>The addresses of the picture library.</summary>
public static class ContentImagePaths
{
    public const string List = ContentPaths.List + "/images";

    public static string Alt(int id) => $"{List}/{id}/alt";

    public static string Delete(int id) => $"{List}/{id}/delete";
}

/// <summary>The upload form: the file, and what it shows (or that it is decorative).</summary>
public sealed class ImageUploadForm
{
    public IFormFile? File { get; set; }

    public string? Alt { get; set; }

    public bool Decorative { get; set; }
}

public sealed record ContentImagesPage(IReadOnlyList<ContentImageRow> Images, ImageUploadForm Form, string MaxSize);

public sealed record ContentImageRow(
    int Id, string Key, string Alt, bool IsDecorative, int Width, int Height, long StoredBytes, ContentImageFileView? Thumbnail,
    string? MarkdownLine, DateTime UploadedUtc, string UploadedBy, IReadOnlyList<ContentImageUse> UsedBy);

public sealed record ContentImageUse(string Title, string EditorPath);

public sealed record ContentImageDeletePage(int Id, string Description, string? ThumbnailPath, IReadOnlyList<ContentImageUse> UsedBy);

/// <summary>
/// Decodes and re-encodes the uploaded picture before <see cref="UnitOfWorkAttribute"/> opens its transaction: on SQLite
/// a transaction holds the write lock, and a large photo takes seconds to process, time in which no inquiry could be stored.
/// </summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class ProcessUploadBeforeTransactionAttribute : Microsoft.AspNetCore.Mvc.Filters.ActionFilterAttribute
{
    public const string ResultKey = "KapPractice.ProcessedUpload";

    public override async Task OnActionExecutionAsync(Microsoft.AspNetCore.Mvc.Filters.ActionExecutingContext context, Microsoft.AspNetCore.Mvc.Filters.ActionExecutionDelegate next)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(next);
        if (context.ActionArguments.Values.OfType<ImageUploadForm>().FirstOrDefault() is { File: { Length: > 0 } file })
        {
            var maxBytes = context.HttpContext.RequestServices.GetRequiredService<Microsoft.Extensions.Options.IOptions<ContentOptions>>().Value.MaxImageBytes;
            await using var stream = file.OpenReadStream();
            context.HttpContext.Items[ResultKey] = ImageProcessor.Process(stream, maxBytes);
        }

        await next();
    }
}
