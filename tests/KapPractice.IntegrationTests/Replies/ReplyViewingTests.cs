using KapPractice.Web.Infrastructure.Audit;
using System.Net;
using AngleSharp.Dom;

namespace KapPractice.IntegrationTests.Replies;

/// <summary>Pages of the composer that show the whole inquiry count as opening it, like the inquiry page.</summary>
[Collection(SharedMailAppWithoutAcknowledgement.Name)]
public sealed class ReplyViewingTests(SharedMailWithoutAcknowledgement shared)
{
    [Fact]
    public async Task Filling_in_a_template_marks_the_inquiry_opened()
    {
        await using var mail = await shared.StartAsync();
        var inquiry = await mail.Factory.SubmitAsync(ValidInquiry.Form());
        var (client, _) = await mail.Factory.SignedInClientAsync();

        using var fill = await client.GetAsync(new Uri($"/admin/inquiries/{inquiry.Id}/reply?template={await mail.Factory.TemplateIdAsync("Let's talk")}", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, fill.StatusCode);
        Assert.Equal(mail.Time.GetUtcNow().UtcDateTime, (await mail.Factory.InquiryAsync(inquiry.Id)).FirstViewedUtc);
    }

    [Fact]
    public async Task A_refused_send_that_shows_the_inquiry_again_is_audited_as_viewed()
    {
        await using var mail = await shared.StartAsync();
        var inquiry = await mail.Factory.SubmitAsync(ValidInquiry.Form());
        var (client, email) = await mail.Factory.SignedInClientAsync();
        var viewsBefore = (await mail.Factory.AuditAsync()).Count(e => e.Action == AuditActions.Viewed && e.InquiryId == inquiry.Id);

        using var refused = await client.SubmitFormAsync($"/admin/inquiries/{inquiry.Id}", [new("Subject", ""), new("Body", "")], "form.reply-form");

        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        var views = (await mail.Factory.AuditAsync()).Where(e => e.Action == AuditActions.Viewed && e.InquiryId == inquiry.Id).ToList();
        Assert.Equal(viewsBefore + 2, views.Count); // the GET the form post starts with, and the page shown again
        Assert.Equal(email, views[^1].Actor);
    }
}

/// <summary>One composer form posted twice, one after the other and both at once, on both providers: one reply, one email.</summary>
public class ReplyDoubleClickTests
{
    protected virtual Web.Infrastructure.DatabaseProvider Provider => Web.Infrastructure.DatabaseProvider.Sqlite;

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task The_same_composer_form_posted_twice_sends_one_reply(bool atOnce)
    {
        await using var mail = await MailHarness.StartAsync(f => f.WithSetting("Email:SendClientAcknowledgement", "false"), provider: Provider);
        var inquiry = await mail.Factory.SubmitAsync(ValidInquiry.With(i => i.Email = "sam@example.com"));
        await mail.Smtp.WaitForCountAsync(1);
        var (client, _) = await mail.Factory.SignedInClientAsync();
        var page = await client.GetDocumentAsync($"/admin/inquiries/{inquiry.Id}");
        var form = page.QuerySelector<AngleSharp.Html.Dom.IHtmlFormElement>("form.reply-form")!;
        var fields = Html.FieldsOf(form, [new("Subject", "Next steps"), new("Body", "Hello Sam.")]);
        var action = new Uri(form.GetAttribute("action")!, UriKind.Relative);

        async Task<HttpResponseMessage> PostAsync()
        {
            using var content = new FormUrlEncodedContent(fields);
            return await client.PostAsync(action, content);
        }

        var responses = atOnce ? await Task.WhenAll(PostAsync(), PostAsync()) : [await PostAsync(), await PostAsync()];

        Assert.All(responses, r => Assert.Equal(HttpStatusCode.Redirect, r.StatusCode));
        if (!atOnce)
        {
            // Posted at once, the two flashes race for the one TempData cookie; one after the other, the second says why.
            var after = await client.GetDocumentAsync(responses[1].Headers.Location!.OriginalString);
            Assert.Equal(KapPractice.Web.Features.Replies.RepliesController.AlreadySentDraftMessage, after.QuerySelector(".flash")!.TextContent);
        }

        foreach (var response in responses)
        {
            response.Dispose();
        }

        await mail.Factory.WaitForRowAsync(inquiry.Id, KapPractice.Web.Domain.OutboxKind.ClientReply, r => r.State == KapPractice.Web.Domain.OutboxState.Sent);
        Assert.Single(await mail.Factory.RepliesAsync());
        await Task.Delay(TimeSpan.FromSeconds(1));
        Assert.Single(mail.Smtp.Received, m => m.EnvelopeTo.Contains("sam@example.com"));
    }
}

public sealed class ReplyDoubleClickTestsOnPostgreSql : ReplyDoubleClickTests
{
    protected override Web.Infrastructure.DatabaseProvider Provider => Web.Infrastructure.DatabaseProvider.PostgreSql;
}
