using KapPractice.Web.Features.Inquiries;
using KapPractice.Web.Infrastructure.Audit;
using System.Net;
using KapPractice.IntegrationTests.AtRest;
using AtRestFiles = KapPractice.IntegrationTests.AtRest.AtRest;
using KapPractice.IntegrationTests.Inquiries;
using KapPractice.Web.Domain;
using KapPractice.Web.Features.Replies;
using Microsoft.EntityFrameworkCore;

namespace KapPractice.IntegrationTests.Replies;

/// <summary>The composer's checks, the status a reply sets, and what is kept at rest (no mail server needed: mail goes to the pickup folder).</summary>
[Collection(SharedAdminApp.Name)]
public sealed class ReplyComposerTests(AdminFactory factory) : IAsyncLifetime
{
    public Task InitializeAsync() => factory.ResetAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    private async Task<int> StoreAsync(Action<InquiryForm>? change = null) => (await factory.SubmitAsync(change is null ? ValidInquiry.Form() : ValidInquiry.With(change))).Id;

    private async Task<int> ReplyCountAsync(int inquiryId) => (await factory.RepliesAsync()).Count(r => r.InquiryId == inquiryId);

    [Fact]
    public async Task An_empty_subject_or_text_shows_a_message_keeps_what_was_typed_and_stores_nothing()
    {
        var id = await StoreAsync();
        var (client, _) = await factory.SignedInClientAsync();

        using var noSubject = await client.SendReplyAsync($"/admin/inquiries/{id}", "  ", "Hello <b>there</b>, kept as typed.");
        var page = await Html.ParseAsync(noSubject);
        Assert.Equal(HttpStatusCode.BadRequest, noSubject.StatusCode);
        Assert.Equal("Enter a subject.", page.QuerySelector("#reply .error-summary a[href='#reply-subject']")!.TextContent);
        Assert.Equal("Hello <b>there</b>, kept as typed.", page.Body());

        using var noBody = await client.SendReplyAsync($"/admin/inquiries/{id}", "Next steps", "");
        page = await Html.ParseAsync(noBody);
        Assert.Equal(HttpStatusCode.BadRequest, noBody.StatusCode);
        Assert.Equal("Enter the reply.", page.QuerySelector("#reply .error-summary a[href='#reply-body']")!.TextContent);
        Assert.Equal("Next steps", page.Subject());

        Assert.Equal(0, await ReplyCountAsync(id));
        Assert.Equal(InquiryStatus.New, (await factory.InquiryAsync(id)).Status);
        Assert.DoesNotContain(await factory.AuditAsync(), e => e.Action == AuditActions.ReplySent && e.InquiryId == id);
    }

    [Fact]
    public async Task An_oversize_subject_or_text_is_refused_with_the_limit_and_stores_nothing()
    {
        var id = await StoreAsync();
        var (client, _) = await factory.SignedInClientAsync();

        using var response = await client.PostWithTokenAsync($"/admin/inquiries/{id}", $"/admin/inquiries/{id}/replies",
            [new("Subject", new string('s', TextLimits.ReplySubject + 50)), new("Body", new string('b', TextLimits.ReplyBody + 1))]);
        var page = await Html.ParseAsync(response);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains($"at most {TextLimits.ReplySubject:N0} characters", page.QuerySelector("#reply-subject-error")!.TextContent, StringComparison.Ordinal);
        Assert.Contains($"at most {TextLimits.ReplyBody:N0} characters", page.QuerySelector("#reply-body-error")!.TextContent, StringComparison.Ordinal);
        Assert.Equal(0, await ReplyCountAsync(id));
    }

    [Fact]
    public async Task Replying_to_suspected_spam_or_to_a_missing_inquiry_is_refused_and_stores_nothing()
    {
        var spam = await StoreAsync();
        var (client, _) = await factory.SignedInClientAsync();
        using var marked = await client.PostAdminFormAsync($"/admin/inquiries/{spam}", "/spam");
        Assert.True((await factory.InquiryAsync(spam)).IsSuspectedSpam);

        using var toSpam = await client.PostWithTokenAsync($"/admin/inquiries/{spam}", $"/admin/inquiries/{spam}/replies", [new("Subject", "Hi"), new("Body", "Hello")]);
        Assert.Equal(HttpStatusCode.Conflict, toSpam.StatusCode);
        Assert.Contains(ClientContact.SpamProblem, (await Html.ParseAsync(toSpam)).QuerySelector("#reply .error-summary")!.TextContent, StringComparison.Ordinal);
        using var fill = await client.GetAsync(new Uri($"/admin/inquiries/{spam}/reply?template={await factory.TemplateIdAsync("Let's talk")}", UriKind.Relative));
        Assert.Equal(HttpStatusCode.Conflict, fill.StatusCode);

        using var missing = await client.PostWithTokenAsync($"/admin/inquiries/{spam}", "/admin/inquiries/999999/replies", [new("Subject", "Hi"), new("Body", "Hello")]);
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        Assert.Equal(0, await ReplyCountAsync(spam));
        Assert.Equal(0, await ReplyCountAsync(999999));
    }

    [Theory]
    [InlineData("template=999999", "That template no longer exists; choose another.")]
    [InlineData("referral=999999", "A chosen referral no longer exists; choose again from the list.")]
    [InlineData("", "Choose a template.")]
    public async Task An_unknown_template_or_referral_gives_a_message_not_an_error(string query, string message)
    {
        var id = await StoreAsync();
        var (client, _) = await factory.SignedInClientAsync();
        var letsTalk = await factory.TemplateIdAsync("Let's talk");

        using var response = await client.GetAsync(new Uri($"/admin/inquiries/{id}/reply?{(query.StartsWith("referral", StringComparison.Ordinal) ? $"template={letsTalk}&" : "")}{query}", UriKind.Relative));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains(message, (await Html.ParseAsync(response)).QuerySelector("#reply .error-summary")!.TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Ids_that_are_not_numbers_are_refused_with_400()
    {
        var id = await StoreAsync();
        var (client, _) = await factory.SignedInClientAsync();

        using var template = await client.GetAsync(new Uri($"/admin/inquiries/{id}/reply?template=abc", UriKind.Relative));
        using var referral = await client.GetAsync(new Uri($"/admin/inquiries/{id}/reply?template=1&referral=x", UriKind.Relative));

        Assert.Equal(HttpStatusCode.BadRequest, template.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, referral.StatusCode);
    }

    [Fact]
    public async Task The_booking_link_placeholder_is_filled_in_on_sending_with_a_private_link_that_opens_the_booking_page()
    {
        var id = await StoreAsync(i => i.FullName = "  Jo   Anne Smith");
        var (client, _) = await factory.SignedInClientAsync();

        var page = await client.FillTemplateAsync(id, await factory.TemplateIdAsync("Let's talk"));

        Assert.StartsWith("Dear Jo,", page.Body(), StringComparison.Ordinal);
        Assert.Contains(ReplyPlaceholders.BookingLink, page.Body(), StringComparison.Ordinal);
        Assert.Contains(ReplyComposerController.BookingLinkNote, page.QuerySelector(".reply-notes")!.TextContent, StringComparison.Ordinal);
        using (var sent = await client.SendReplyAsync($"/admin/inquiries/{id}", page.Subject(), page.Body()))
        {
            Assert.Equal(HttpStatusCode.Redirect, sent.StatusCode);
        }

        var body = (await factory.RepliesAsync()).Single(r => r.InquiryId == id).Body;
        Assert.DoesNotContain(ReplyPlaceholders.BookingLink, body, StringComparison.Ordinal);
        var link = System.Text.RegularExpressions.Regex.Match(body, @"https?://\S+/booking/\S+");
        Assert.True(link.Success, body);
        using var visitor = factory.CreateHttpsClient();
        var booking = await visitor.GetDocumentAsync(new Uri(link.Value).AbsolutePath);
        Assert.NotEmpty(booking.QuerySelectorAll("button[name=start]"));
    }

    [Fact]
    public async Task A_reply_to_an_inquiry_already_past_new_leaves_its_status_alone()
    {
        var id = await StoreAsync();
        var (client, _) = await factory.SignedInClientAsync();
        using var booked = await client.PostAdminFormAsync($"/admin/inquiries/{id}", "/status", ("status", nameof(InquiryStatus.ConsultationBooked)));

        using var sent = await client.SendReplyAsync($"/admin/inquiries/{id}", "See you Tuesday", "Looking forward to it.");

        Assert.Equal(HttpStatusCode.Redirect, sent.StatusCode);
        Assert.Equal(1, await ReplyCountAsync(id));
        Assert.Equal(InquiryStatus.ConsultationBooked, (await factory.InquiryAsync(id)).Status);
        Assert.Single(await factory.AuditAsync(), e => e.Action == AuditActions.StatusChanged && e.InquiryId == id);
    }

    [Fact]
    public async Task Replies_and_notes_show_together_newest_first_with_what_was_typed_encoded()
    {
        var id = await StoreAsync();
        var (client, email) = await factory.SignedInClientAsync();
        using var note = await client.PostAdminFormAsync($"/admin/inquiries/{id}", "/notes", ("text", "First a note"));
        using var sent = await client.SendReplyAsync($"/admin/inquiries/{id}", "Then <i>a reply</i>", "<script>alert(1)</script>");

        var page = await client.GetDocumentAsync($"/admin/inquiries/{id}");

        var entries = page.QuerySelectorAll("#timeline li").ToList();
        Assert.Equal(2, entries.Count);
        Assert.Equal("Then <i>a reply</i>", entries[0].QuerySelector(".reply-subject")!.TextContent);
        Assert.Equal("<script>alert(1)</script>", entries[0].QuerySelector(".reply-text")!.TextContent);
        Assert.Null(page.QuerySelector("#timeline script, #timeline i"));
        Assert.Equal("First a note", entries[1].QuerySelector(".note-text")!.TextContent);
        Assert.StartsWith(email, entries[1].QuerySelector(".note-meta")!.TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_post_without_the_antiforgery_token_sends_nothing()
    {
        var id = await StoreAsync();
        var (client, _) = await factory.SignedInClientAsync();

        using var content = new FormUrlEncodedContent([new KeyValuePair<string, string>("Subject", "Hi"), new("Body", "Hello")]);
        using var response = await client.PostAsync(new Uri($"/admin/inquiries/{id}/replies", UriKind.Relative), content);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(0, await ReplyCountAsync(id));
    }

    [Fact]
    public async Task Signed_out_requests_to_the_reply_routes_are_sent_to_sign_in()
    {
        var id = await StoreAsync();
        using var client = factory.CreateHttpsClient();
        var token = await client.AnonymousTokenAsync();

        foreach (var (method, path) in new[]
        {
            ("GET", $"/admin/inquiries/{id}/reply?template=1"),
            ("POST", $"/admin/inquiries/{id}/replies"),
            ("POST", $"/admin/inquiries/{id}/replies/1/resend"),
        })
        {
            // Posts carry a valid (anonymous) token, so only the sign-in requirement can turn them away.
            using var request = new HttpRequestMessage(new HttpMethod(method), path) { Content = method == "POST" ? new FormUrlEncodedContent([new("__RequestVerificationToken", token), new("Subject", "a"), new("Body", "b")]) : null };
            using var response = await client.SendAsync(request);
            Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
            Assert.StartsWith("https://localhost/admin/sign-in", response.Headers.Location!.ToString(), StringComparison.Ordinal);
        }

        Assert.Equal(0, await ReplyCountAsync(id));
    }
}

public sealed class ReplyAtRestTests
{
    [Fact]
    public async Task A_replys_subject_and_text_are_not_readable_in_the_data_folder()
    {
        await using var app = new AtRestFactory();
        var id = await app.SubmitAsync(InquiryForms.Valid());
        var (client, _) = await app.SignedInClientAsync();
        var subject = AtRestFiles.NewMarker();
        var body = AtRestFiles.NewMarker();

        using var sent = await client.SendReplyAsync($"/admin/inquiries/{id}", "Re " + subject, "Hello " + body);

        Assert.Equal(HttpStatusCode.Redirect, sent.StatusCode);
        Assert.Equal("Hello " + body, Assert.Single(await app.RepliesAsync()).Body);
        var files = AtRestFiles.FolderBytes(app.DataDirectory, except: "mail-pickup");
        Assert.True(AtRestFiles.ContainsText(files, "SQLite format 3"), "the scan reads the database file");
        Assert.False(AtRestFiles.ContainsText(files, subject), "the reply's subject is readable in the data folder");
        Assert.False(AtRestFiles.ContainsText(files, body), "the reply's text is readable in the data folder");
    }
}
