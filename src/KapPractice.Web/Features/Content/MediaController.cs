using System.Text.RegularExpressions;
using KapPractice.Web.Infrastructure;
using KapPractice.Web.Infrastructure.Data;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.OutputCaching;
using Microsoft.EntityFrameworkCore;
using Microsoft.Net.Http.Headers;

namespace KapPractice.Web.Features.Content;

/// <summary>
/// Her pictures, from the database so every instance has them. A file's name is a hash of its bytes, so it never
/// changes: browsers keep it a year without asking again, and a changed picture is a new name.
/// </summary>
public sealed partial class MediaController(KapDbContext db) : Controller
{
    public const string CacheControl = "public, max-age=31536000, immutable";

    [HttpGet(ContentRenderer.MediaPath + "{fileName}")]
    [OutputCache(PolicyName = SiteSetup.PicturesCachePolicy)]
    public async Task<IActionResult> Serve(string fileName, CancellationToken cancellationToken)
    {
        if (fileName is null || !MediaFileName().IsMatch(fileName))
        {
            return NotFound();
        }

        var file = await db.ContentImageFiles.AsNoTracking().Where(f => f.FileName == fileName)
            .Select(f => new { f.ContentType, f.Bytes }).SingleOrDefaultAsync(cancellationToken);
        if (file is null)
        {
            return NotFound();
        }

        Response.Headers.CacheControl = CacheControl;
        var tag = new EntityTagHeaderValue("\"" + fileName[..fileName.IndexOf('-', StringComparison.Ordinal)] + "\"");
        return File(file.Bytes, file.ContentType, lastModified: null, entityTag: tag);
    }

    [GeneratedRegex(@"^[a-z0-9]{8,40}-\d{1,5}\.(?:webp|jpg|png)$")] // the site makes WebP; an imported JPEG or PNG keeps its type
    private static partial Regex MediaFileName();
}
