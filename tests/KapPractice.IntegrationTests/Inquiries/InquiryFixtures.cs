using System.Net;
using System.Text;
using AngleSharp.Dom;
using AngleSharp.Html.Dom;
using KapPractice.Web.Domain;
using KapPractice.Web.Features.Inquiries;
using KapPractice.Web.Infrastructure;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;

namespace KapPractice.IntegrationTests.Inquiries;

/// <summary>The app with no minimum fill time and rate limits no test reaches, so posts are judged on their content.</summary>
public class InquiryAppFactory : KapPracticeFactory
{
    public InquiryAppFactory()
        : this(DatabaseProvider.Sqlite)
    {
    }

    protected InquiryAppFactory(DatabaseProvider provider)
    {
        Provider = provider;
        WithSetting("Spam:MinimumFillTime", "00:00:00");
        WithSetting("RateLimiting:InquiryPermitLimit", "100000");
        WithSetting("RateLimiting:InquiryFloodLimit", "100000");
    }
}

/// <summary>The inquiry app on PostgreSQL.</summary>
public sealed class PostgreSqlInquiryAppFactory() : InquiryAppFactory(DatabaseProvider.PostgreSql);

internal static class InquiryForms
{
    public const string Url = "/inquiry";

    /// <summary>Where a stored inquiry is sent (303) to read that it arrived.</summary>
    public const string ConfirmationUrl = "/inquiry/thank-you";

    /// <summary>The fields a browser posts for <see cref="ValidInquiry.Form"/>, with its own name and address and <paramref name="change"/> applied to the typed form.</summary>
    public static List<KeyValuePair<string, string>> Valid(string name = "Alex Rivera", string email = "alex@example.com", Action<InquiryForm>? change = null) =>
        (ValidInquiry.Form() with { FullName = name, Email = email }).With(change ?? (_ => { })).Fields();

    /// <summary>
    /// Replaces the posted values of named fields with raw text ("Field=Value; Field=Value"; "Field=" empties it, "-Field" removes it),
    /// for posts no typed form can make (an unknown enum name, a comma list for one choice, a missing field). A valid answer is set
    /// on the typed form instead (<see cref="Valid"/>'s change).
    /// </summary>
    public static List<KeyValuePair<string, string>> With(this List<KeyValuePair<string, string>> fields, string changes)
    {
        var result = fields.ToList();
        foreach (var change in changes.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (change.StartsWith('-'))
            {
                result.RemoveAll(f => f.Key == change[1..]);
                continue;
            }

            var at = change.IndexOf('=', StringComparison.Ordinal);
            var (key, value) = (change[..at], change[(at + 1)..]);
            var index = result.FindIndex(f => f.Key == key);
            result.RemoveAll(f => f.Key == key);
            result.Insert(index < 0 ? result.Count : index, new(key, value));
        }

        return result;
    }

    /// <summary>Sets one field to a value that may itself contain ';' or '='.</summary>
    public static List<KeyValuePair<string, string>> With(this List<KeyValuePair<string, string>> fields, string key, string value)
    {
        var result = fields.Where(f => f.Key != key).ToList();
        result.Add(new(key, value));
        return result;
    }

    public static HttpClient NewClient(this KapPracticeFactory factory) =>
        factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });

    public static Task<HttpResponseMessage> SubmitInquiryAsync(this HttpClient client, IEnumerable<KeyValuePair<string, string>> values) =>
        client.SubmitFormAsync(Url, values, "form.inquiry-form");

    /// <summary>Loads the form for its token and cookie, then posts <paramref name="rawBody"/> after them exactly as given (for bytes no browser would send).</summary>
    public static async Task<HttpResponseMessage> PostRawAsync(this HttpClient client, string rawBody, params string[] omitHidden)
    {
        var page = await client.GetDocumentAsync(Url);
        var form = page.QuerySelector<IHtmlFormElement>("form.inquiry-form")!;
        var hidden = Html.FieldsOf(form, []).Where(f => !omitHidden.Contains(f.Key));
        var prefix = string.Join('&', hidden.Select(f => $"{Uri.EscapeDataString(f.Key)}={Uri.EscapeDataString(f.Value)}"));
        using var content = new ByteArrayContent([.. Encoding.ASCII.GetBytes(prefix + "&"), .. Encoding.Latin1.GetBytes(rawBody)]);
        content.Headers.ContentType = new("application/x-www-form-urlencoded");
        return await client.PostAsync(new Uri(Url, UriKind.Relative), content);
    }

    /// <summary>Loads the form for its cookie, then posts <paramref name="body"/> with exactly the content type given (for bodies no form would produce).</summary>
    public static async Task<HttpResponseMessage> PostBodyAsync(this HttpClient client, string contentType, string body)
    {
        await client.GetDocumentAsync(Url);
        using var content = new ByteArrayContent(Encoding.Latin1.GetBytes(body));
        content.Headers.TryAddWithoutValidation("Content-Type", contentType);
        return await client.PostAsync(new Uri(Url, UriKind.Relative), content);
    }

    public static string Encode(IEnumerable<KeyValuePair<string, string>> fields) =>
        string.Join('&', fields.Select(f => $"{Uri.EscapeDataString(f.Key)}={Uri.EscapeDataString(f.Value)}"));

    public static Task<List<Inquiry>> InquiriesAsync(this KapPracticeFactory factory) =>
        factory.WithDbAsync(db => db.Inquiries.Include(i => i.OutboxMessages).AsNoTracking().OrderBy(i => i.Id).ToListAsync());

    public static Task<int> CountAsync(this KapPracticeFactory factory) =>
        factory.WithDbAsync(db => db.Inquiries.CountAsync());

    public static void AssertRedirectedToConfirmation(HttpResponseMessage response)
    {
        Assert.Equal(HttpStatusCode.SeeOther, response.StatusCode);
        Assert.Equal(ConfirmationUrl, response.Headers.Location?.OriginalString);
    }

    /// <summary>What a client who has sent too many inquiries reads above the form (written out here, as the client reads it).</summary>
    public const string InquiryLimitMessage =
        "You have sent several inquiries in the last few minutes. Please wait a few minutes, then send this one again.";

    public static bool IsRedirectToConfirmation(HttpResponseMessage response) =>
        response.StatusCode == HttpStatusCode.SeeOther && response.Headers.Location?.OriginalString == ConfirmationUrl;

    /// <summary>
    /// The permits' refusal as the client sees it: 429 with the form and the limit's message, not the flood limiter's plain
    /// page (which has no such message).
    /// </summary>
    public static async Task AssertRefusedByInquiryLimitAsync(HttpResponseMessage response)
    {
        ArgumentNullException.ThrowIfNull(response);
        Assert.Equal(HttpStatusCode.TooManyRequests, response.StatusCode);
        Assert.Equal(InquiryLimitMessage, (await Html.ParseAsync(response)).TextOf(".error-summary[role=alert] li"));
    }

    public static string TextOf(this IDocument page, string selector) => page.QuerySelector(selector)?.TextContent.Trim() ?? "";
}
