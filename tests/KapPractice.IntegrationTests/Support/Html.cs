using System.Net;
using AngleSharp;
using AngleSharp.Dom;
using AngleSharp.Html.Dom;

namespace KapPractice.Tests.Support;

/// <summary>Reads pages and posts forms as a browser would: parsed HTML, the antiforgery token scraped from the page.</summary>
public static class Html
{
    private static readonly IBrowsingContext Context = BrowsingContext.New(Configuration.Default);

    public static async Task<IDocument> ParseAsync(HttpResponseMessage response)
    {
        ArgumentNullException.ThrowIfNull(response);
        var html = await response.Content.ReadAsStringAsync();
        return await Context.OpenAsync(request => request.Content(html).Address(response.RequestMessage?.RequestUri ?? new Uri("http://localhost/")));
    }

    public static async Task<IDocument> GetDocumentAsync(this HttpClient client, string url, HttpStatusCode expected = HttpStatusCode.OK)
    {
        ArgumentNullException.ThrowIfNull(client);
        using var response = await client.GetAsync(new Uri(url, UriKind.Relative));
        Assert.Equal(expected, response.StatusCode);
        return await ParseAsync(response);
    }

    /// <summary>The form's own fields (hidden inputs and the antiforgery token included), overridden by <paramref name="values"/>.</summary>
    public static List<KeyValuePair<string, string>> FieldsOf(IHtmlFormElement form, IEnumerable<KeyValuePair<string, string>> values)
    {
        ArgumentNullException.ThrowIfNull(form);
        var fields = form.Elements.OfType<IHtmlInputElement>()
            .Where(input => input.Type == "hidden" && !string.IsNullOrEmpty(input.Name))
            .Select(input => new KeyValuePair<string, string>(input.Name!, input.Value))
            .ToList();
        var overrides = values.ToList();
        fields.RemoveAll(field => overrides.Any(o => o.Key == field.Key));
        fields.AddRange(overrides);
        return fields;
    }

    /// <summary>Loads the page, fills the form found by <paramref name="formSelector"/> and posts it, without following a redirect.</summary>
    public static async Task<HttpResponseMessage> SubmitFormAsync(
        this HttpClient client, string pageUrl, IEnumerable<KeyValuePair<string, string>> values, string formSelector = "form[method=post]")
    {
        ArgumentNullException.ThrowIfNull(client);
        var page = await client.GetDocumentAsync(pageUrl);
        var form = page.QuerySelector<IHtmlFormElement>(formSelector) ?? throw new InvalidOperationException($"No form {formSelector} on {pageUrl}");
        var action = string.IsNullOrEmpty(form.GetAttribute("action")) ? pageUrl : form.GetAttribute("action")!;
        using var content = new FormUrlEncodedContent(FieldsOf(form, values));
        return await client.PostAsync(new Uri(action, UriKind.Relative), content);
    }
}
