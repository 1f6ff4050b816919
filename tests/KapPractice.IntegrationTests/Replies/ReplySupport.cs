using System.Net;
using AngleSharp.Dom;
using AngleSharp.Html.Dom;
using KapPractice.Web.Domain;
using KapPractice.Web.Infrastructure.Data;
using Microsoft.EntityFrameworkCore;

namespace KapPractice.IntegrationTests.Replies;

/// <summary>The practitioner's steps on the reply pages, as a browser takes them.</summary>
internal static class ReplySteps
{
    public static Task<int> TemplateIdAsync(this KapPracticeFactory app, string name) =>
        app.WithDbAsync(db => db.ReplyTemplates.Where(t => t.Name == name).Select(t => t.Id).SingleAsync());

    /// <summary>Adds a referral through the referrals page; returns its id.</summary>
    public static async Task<int> AddReferralAsync(this HttpClient client, KapPracticeFactory app, string name, string purpose, string contact)
    {
        using var response = await client.PostAdminFormAsync("/admin/referrals/new", "/admin/referrals/new", ("Name", name), ("Purpose", purpose), ("Contact", contact));
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        return await app.WithDbAsync(db => db.Referrals.Where(r => r.Name == name).Select(r => r.Id).SingleAsync());
    }

    /// <summary>Chooses a template and referrals on the inquiry page and fills it in (the template form is a GET).</summary>
    public static async Task<IDocument> FillTemplateAsync(this HttpClient client, int inquiryId, int templateId, params int[] referralIds)
    {
        var page = await client.GetDocumentAsync($"/admin/inquiries/{inquiryId}");
        var form = page.QuerySelector<IHtmlFormElement>("form.reply-template")!;
        var query = string.Join('&', new[] { $"template={templateId}" }.Concat(referralIds.Select(r => $"referral={r}")));
        return await client.GetDocumentAsync($"{form.GetAttribute("action")!.Split('#')[0]}?{query}");
    }

    /// <summary>Posts the composer on the page at <paramref name="pageUrl"/> with the subject and body given.</summary>
    public static Task<HttpResponseMessage> SendReplyAsync(this HttpClient client, string pageUrl, string subject, string body) =>
        client.SubmitFormAsync(pageUrl, [new("Subject", subject), new("Body", body)], "form.reply-form");

    /// <summary>Posts <paramref name="values"/> to <paramref name="action"/> with the antiforgery token of the page at <paramref name="pageUrl"/>, as a hand-made form would.</summary>
    public static async Task<HttpResponseMessage> PostWithTokenAsync(this HttpClient client, string pageUrl, string action, IEnumerable<KeyValuePair<string, string>> values)
    {
        var page = await client.GetDocumentAsync(pageUrl);
        var token = page.QuerySelector<IHtmlInputElement>("input[name='__RequestVerificationToken']")!.Value;
        using var content = new FormUrlEncodedContent([new("__RequestVerificationToken", token), .. values]);
        return await client.PostAsync(new Uri(action, UriKind.Relative), content);
    }

    /// <summary>A valid anonymous antiforgery token (its cookie lands in the client) from the public inquiry form.</summary>
    public static async Task<string> AnonymousTokenAsync(this HttpClient client)
    {
        var page = await client.GetDocumentAsync("/inquiry");
        return page.QuerySelector<IHtmlInputElement>("input[name='__RequestVerificationToken']")!.Value;
    }

    public static string Subject(this IDocument page) => page.QuerySelector<IHtmlInputElement>("#reply-subject")!.Value;

    public static string Body(this IDocument page) => page.QuerySelector<IHtmlTextAreaElement>("#reply-body")!.Value;

    public static Task<List<InquiryReply>> RepliesAsync(this KapPracticeFactory app) =>
        app.WithDbAsync(db => db.InquiryReplies.Include(r => r.OutboxMessages).AsNoTracking().OrderBy(r => r.Id).ToListAsync());

    public static Task<List<AuditEntry>> AuditAsync(this KapPracticeFactory app) =>
        app.WithDbAsync(db => db.AuditEntries.AsNoTracking().OrderBy(e => e.Id).ToListAsync());

    public static Task<Inquiry> InquiryAsync(this KapPracticeFactory app, int id) =>
        app.WithDbAsync(db => db.Inquiries.AsNoTracking().SingleAsync(i => i.Id == id));
}
