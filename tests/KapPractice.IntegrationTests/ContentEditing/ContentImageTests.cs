using System.Net;
using System.Net.Http.Headers;
using System.Text;
using AngleSharp.Dom;
using AngleSharp.Html.Dom;
using KapPractice.Web.Features.Content.Images;
using KapPractice.Web.Infrastructure.Audit;
using Microsoft.EntityFrameworkCore;
using SkiaSharp;

namespace KapPractice.IntegrationTests.ContentEditing;

/// <summary>Her picture library as she uses it: upload a phone photo, use it in an article, describe it, delete it.</summary>
[Collection(SharedAdminApp.Name)]
public sealed class ContentImageTests(AdminFactory factory) : IAsyncLifetime
{
    private const string Library = "/admin/content/images";

    public Task InitializeAsync() => factory.ResetAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    private static async Task<HttpResponseMessage> UploadAsync(HttpClient client, TestFile file, string alt = "Clay bowls on a shelf", bool decorative = false)
    {
        var page = await client.GetDocumentAsync(Library);
        var form = page.QuerySelector<IHtmlFormElement>($"form[action$='{Library}'][enctype='multipart/form-data']")!;
        using var content = new MultipartFormDataContent();
        foreach (var field in Html.FieldsOf(form, [new("Alt", alt)]))
        {
            content.Add(new StringContent(field.Value), field.Key);
        }

        if (decorative)
        {
            content.Add(new StringContent("true"), "Decorative");
        }

        var bytes = new ByteArrayContent(file.Bytes);
        bytes.Headers.ContentType = new MediaTypeHeaderValue(file.ContentType);
        content.Add(bytes, "File", file.FileName);
        return await client.PostAsync(new Uri(Library, UriKind.Relative), content);
    }

    /// <summary>Posts to <paramref name="url"/> with the antiforgery token of the library page's forms (the refused delete page has no form).</summary>
    private static async Task<HttpResponseMessage> PostWithTokenAsync(HttpClient client, string url)
    {
        var page = await client.GetDocumentAsync(Library);
        var form = page.QuerySelector<IHtmlFormElement>("form[action$='/alt']")!;
        using var content = new FormUrlEncodedContent(Html.FieldsOf(form, []));
        return await client.PostAsync(new Uri(url, UriKind.Relative), content);
    }

    private Task<int> ImageCountAsync() => factory.WithDbAsync(db => db.ContentImages.CountAsync());

    [Fact]
    public async Task A_phone_photo_is_stored_as_webp_without_its_gps_position_and_served_for_a_year_under_media()
    {
        var (client, email) = await factory.SignedInClientAsync();

        using var uploaded = await UploadAsync(client, TestImages.JpegWithGps(2000, 1000));

        Assert.Equal(HttpStatusCode.Redirect, uploaded.StatusCode);
        var image = await factory.WithDbAsync(db => db.ContentImages.AsNoTracking().Include(i => i.Files).SingleAsync());
        Assert.Equal("Clay bowls on a shelf", image.Alt);
        Assert.Equal([480, 960, 1600], image.Files.Select(f => f.Width).Order());
        foreach (var file in image.Files)
        {
            Assert.Equal("image/webp", file.ContentType);
            Assert.Equal("RIFF", Encoding.ASCII.GetString(file.Bytes, 0, 4));
            Assert.Equal("WEBP", Encoding.ASCII.GetString(file.Bytes, 8, 4));
            var latin = Encoding.Latin1.GetString(file.Bytes);
            Assert.DoesNotContain("Exif", latin, StringComparison.Ordinal);
            Assert.DoesNotContain(TestImages.CameraModel, latin, StringComparison.Ordinal);
            Assert.DoesNotContain(Encoding.Latin1.GetString(TestImages.RationalBytes(TestImages.Latitude)), latin, StringComparison.Ordinal);
        }

        var medium = image.Files.Single(f => f.Width == 960);
        Assert.StartsWith(image.Key + "-", medium.FileName, StringComparison.Ordinal);
        using var served = await factory.CreateClient().GetAsync(new Uri("/media/" + medium.FileName, UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, served.StatusCode);
        Assert.Equal("image/webp", served.Content.Headers.ContentType!.MediaType);
        Assert.Equal("public, max-age=31536000, immutable", served.Headers.CacheControl!.ToString());
        Assert.NotNull(served.Headers.ETag);
        Assert.Equal(medium.Bytes, await served.Content.ReadAsByteArrayAsync());
        using var decoded = SKBitmap.Decode(await served.Content.ReadAsByteArrayAsync());
        Assert.Equal(960, decoded.Width);
        Assert.Equal(HttpStatusCode.NotFound, (await factory.CreateClient().GetAsync(new Uri("/media/0123456789abcdef-960.webp", UriKind.Relative))).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await factory.CreateClient().GetAsync(new Uri("/media/..%2Fappsettings.json", UriKind.Relative))).StatusCode);

        var library = await client.GetDocumentAsync(Library);
        Assert.Equal($"![Clay bowls on a shelf](/media/{medium.FileName})", library.QuerySelector<IHtmlInputElement>(".markdown-line")!.Value);
        var audit = await factory.WithDbAsync(db => db.AuditEntries.AsNoTracking().Where(a => a.Action == AuditActions.ImageUploaded).SingleAsync());
        Assert.Equal(email, audit.Actor);
        Assert.Contains(image.Key, audit.Detail, StringComparison.Ordinal);
        Assert.DoesNotContain("IMG_0001", audit.Detail, StringComparison.Ordinal);

        using var again = await UploadAsync(client, TestImages.JpegWithGps(2000, 1000));
        Assert.Equal(HttpStatusCode.Redirect, again.StatusCode);
        Assert.Contains("already in your library", (await client.GetDocumentAsync(Library)).Body!.TextContent, StringComparison.Ordinal);
        Assert.Equal(1, await ImageCountAsync());
    }

    [Fact]
    public async Task An_article_with_a_cover_and_a_body_picture_shows_them_sized_lazy_and_in_its_previews()
    {
        var (client, _) = await factory.SignedInClientAsync();
        using var uploaded = await UploadAsync(client, TestImages.JpegWithGps(2000, 1000));
        var image = await factory.WithDbAsync(db => db.ContentImages.AsNoTracking().Include(i => i.Files).SingleAsync());
        var line = (await client.GetDocumentAsync(Library)).QuerySelector<IHtmlInputElement>(".markdown-line")!.Value;

        using var published = await client.PostAdminFormAsync("/admin/content/new", "/admin/content/new",
            ("Title", "Hands in clay"), ("Slug", "hands-in-clay"), ("Author", "Leslie Portillo, LCAT, ATR-BC"), ("PublishedOn", "2026-12-01"),
            ("Summary", "Working with clay."), ("ImageName", image.Key), ("Body", "Some words first.\n\n" + line + "\n\nMore words."),
            ("Action", "Publish"), ("PublishAt", string.Empty), ("BaseRevision", "0"));
        Assert.Equal(HttpStatusCode.Redirect, published.StatusCode);

        var page = await factory.CreateClient().GetDocumentAsync("/articles/hands-in-clay");
        var body = page.QuerySelectorAll("main article img").Single(i => i.GetAttribute("loading") == "lazy");
        Assert.Contains("480w", body.GetAttribute("srcset"), StringComparison.Ordinal);
        Assert.Contains("1600w", body.GetAttribute("srcset"), StringComparison.Ordinal);
        Assert.Equal("1600", body.GetAttribute("width"));
        Assert.Equal("800", body.GetAttribute("height"));
        Assert.Equal("Clay bowls on a shelf", body.GetAttribute("alt"));
        var ogImage = page.QuerySelector("meta[property='og:image']")!.GetAttribute("content")!;
        Assert.Contains("/media/" + image.Key + "-", ogImage, StringComparison.Ordinal);
        var jsonLd = page.QuerySelector("script[type='application/ld+json']")!.TextContent;
        Assert.Contains("/media/" + image.Key + "-", jsonLd, StringComparison.Ordinal);

        // In use: it cannot be deleted, and the refusal says where.
        Assert.Contains("Hands in clay", (await client.GetDocumentAsync($"{Library}/{image.Id}/delete")).QuerySelector("main")!.TextContent, StringComparison.Ordinal);
        using var refused = await PostWithTokenAsync(client, $"{Library}/{image.Id}/delete");
        Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
        Assert.Contains("Hands in clay", (await Html.ParseAsync(refused)).QuerySelector("main")!.TextContent, StringComparison.Ordinal);
        Assert.Equal(1, await ImageCountAsync());
    }

    public static TheoryData<string> Refused => ["bomb", "truncated", "svg", "html", "too large"];

    [Theory]
    [MemberData(nameof(Refused))]
    public async Task A_file_that_is_not_a_safe_picture_is_refused_with_a_message_and_nothing_is_stored(string kind)
    {
        var (client, _) = await factory.SignedInClientAsync();
        var (file, expected) = kind switch
        {
            "bomb" => (TestImages.BombPng(), "megapixels"),
            "truncated" => (TestImages.TruncatedJpeg(), "damaged"),
            "svg" => (TestImages.Svg(), "JPEG, PNG or WebP"),
            "html" => (TestImages.HtmlNamedJpg(), "JPEG, PNG or WebP"),
            _ => (new TestFile("huge.jpg", "image/jpeg", [0xFF, 0xD8, 0xFF, .. new byte[ImageProcessor.DefaultMaxBytes]]), "15 MB"),
        };

        using var response = await UploadAsync(client, file);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var page = await Html.ParseAsync(response);
        Assert.Contains(expected, page.QuerySelector("#File-error")!.TextContent, StringComparison.Ordinal);
        Assert.Equal(0, await ImageCountAsync());
        Assert.Equal(0, await factory.WithDbAsync(db => db.ContentImageFiles.CountAsync()));
    }

    [Fact]
    public async Task A_description_is_required_unless_the_picture_is_marked_decorative()
    {
        var (client, _) = await factory.SignedInClientAsync();

        using var refused = await UploadAsync(client, TestImages.Webp(), alt: " ");
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Contains("Describe what the picture shows", (await Html.ParseAsync(refused)).QuerySelector("#Alt-error")!.TextContent, StringComparison.Ordinal);
        Assert.Equal(0, await ImageCountAsync());

        using var decorative = await UploadAsync(client, TestImages.Webp(), alt: string.Empty, decorative: true);
        Assert.Equal(HttpStatusCode.Redirect, decorative.StatusCode);
        var image = await factory.WithDbAsync(db => db.ContentImages.AsNoTracking().SingleAsync());
        Assert.True(image.IsDecorative);
        Assert.Equal(string.Empty, image.Alt);

        using var described = await client.PostAdminFormAsync(Library, $"/{image.Id}/alt", ("alt", "A bright studio window"));
        Assert.Equal(HttpStatusCode.Redirect, described.StatusCode);
        image = await factory.WithDbAsync(db => db.ContentImages.AsNoTracking().SingleAsync());
        Assert.False(image.IsDecorative);
        Assert.Equal("A bright studio window", image.Alt);
    }

    [Fact]
    public async Task An_unused_picture_is_deleted_after_a_confirmation_and_no_longer_served()
    {
        var (client, _) = await factory.SignedInClientAsync();
        using var uploaded = await UploadAsync(client, TestImages.Webp());
        var image = await factory.WithDbAsync(db => db.ContentImages.AsNoTracking().Include(i => i.Files).SingleAsync());

        using var deleted = await client.PostAdminFormAsync($"{Library}/{image.Id}/delete", "/delete", []);

        Assert.Equal(HttpStatusCode.Redirect, deleted.StatusCode);
        Assert.Equal(0, await ImageCountAsync());
        Assert.Equal(HttpStatusCode.NotFound, (await factory.CreateClient().GetAsync(new Uri("/media/" + image.Files[0].FileName, UriKind.Relative))).StatusCode);
        Assert.True(await factory.WithDbAsync(db => db.AuditEntries.AnyAsync(a => a.Action == AuditActions.ImageDeleted)));
    }

    [Fact]
    public async Task Uploading_needs_the_admin_sign_in()
    {
        var visitor = factory.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        using var content = new MultipartFormDataContent { { new ByteArrayContent(TestImages.Webp().Bytes), "File", "photo.webp" }, { new StringContent("x"), "Alt" } };

        using var response = await visitor.PostAsync(new Uri(Library, UriKind.Relative), content);

        Assert.False(response.IsSuccessStatusCode);
        Assert.NotEqual(Library, response.Headers.Location?.OriginalString);
        Assert.Equal(0, await ImageCountAsync());
    }
}
