using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using AngleSharp.Dom;
using AngleSharp.Html.Dom;
using KapPractice.Web.Domain;
using Microsoft.EntityFrameworkCore;

namespace KapPractice.IntegrationTests.ContentEditing;

/// <summary>What she does in the content area, through its own forms: upload a picture, publish a page.</summary>
public static class ContentSteps
{
    public const string Library = "/admin/content/images";

    /// <summary>Uploads <paramref name="file"/> through the picture library's form and returns the stored picture's key.</summary>
    public static async Task<string> UploadPictureAsync(this HttpClient client, KapPracticeFactory factory, TestFile file, string alt)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(factory);
        ArgumentNullException.ThrowIfNull(file);
        var page = await client.GetDocumentAsync(Library);
        var form = page.QuerySelector<IHtmlFormElement>($"form[action$='{Library}'][enctype='multipart/form-data']")!;
        using var content = new MultipartFormDataContent();
        foreach (var field in Html.FieldsOf(form, [new("Alt", alt)]))
        {
            content.Add(new StringContent(field.Value), field.Key);
        }

        var bytes = new ByteArrayContent(file.Bytes);
        bytes.Headers.ContentType = new MediaTypeHeaderValue(file.ContentType);
        content.Add(bytes, "File", file.FileName);
        using var response = await client.PostAsync(new Uri(Library, UriKind.Relative), content);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        return await factory.WithDbAsync(db => db.ContentImages.Where(i => i.Alt == alt).Select(i => i.Key).SingleAsync());
    }

    /// <summary>Publishes the page <paramref name="key"/> from the editor: its newest text, or <paramref name="body"/>, with <paramref name="imageKey"/> as its picture.</summary>
    public static async Task PublishPageAsync(this HttpClient client, KapPracticeFactory factory, string key, string? body = null, string? imageKey = null)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(factory);
        var page = await factory.WithDbAsync(db => db.ContentItems.AsNoTracking().Include(i => i.Revisions).SingleAsync(i => i.Kind == ContentKind.Page && i.Slug == key));
        var newest = page.Revisions.MaxBy(r => r.Number)!;
        using var published = await client.PostAdminFormAsync($"/admin/content/{page.Id}", $"/admin/content/{page.Id}",
            ("Title", newest.Title), ("Summary", newest.Summary), ("Body", body ?? newest.Body), ("ImageName", imageKey ?? newest.ImageName ?? string.Empty),
            ("Action", "Publish"), ("BaseRevision", newest.Number.ToString(CultureInfo.InvariantCulture)));
        Assert.Equal(HttpStatusCode.Redirect, published.StatusCode);
    }
}
