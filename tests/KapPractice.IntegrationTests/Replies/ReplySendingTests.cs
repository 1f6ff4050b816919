using KapPractice.Web.Infrastructure.Audit;
using System.Net;
using AngleSharp.Dom;
using KapPractice.IntegrationTests.Replies;
using KapPractice.Web.Domain;
using KapPractice.Web.Infrastructure;

namespace KapPractice.IntegrationTests.Replies;

/// <summary>Replies sent from the inquiry page through the real outbox to the in-process SMTP server, on both providers.</summary>
[Collection(SharedMailAppWithoutAcknowledgement.Name)]
public class ReplySendingTests
{
    private readonly SharedMailHarness _shared;

    public ReplySendingTests(SharedMailWithoutAcknowledgement shared)
        : this((SharedMailHarness)shared)
    {
    }

    protected ReplySendingTests(SharedMailHarness shared) => _shared = shared;

    private Task<MailHarness> StartAsync(bool smtpRunning = true) => _shared.StartAsync(smtpRunning);

    [Fact]
    public async Task A_reply_from_a_default_template_with_a_referral_reaches_the_client_with_the_first_name_the_referral_and_the_crisis_line()
    {
        await using var mail = await StartAsync();
        var inquiry = await mail.Factory.SubmitAsync(ValidInquiry.With(i => { i.FullName = "Maya Lin"; i.Email = "maya@example.com"; i.Message = "My private story zqsecret"; i.Pronouns = "she/her"; }));
        await mail.Smtp.WaitForCountAsync(1); // the notification to the practice
        var (client, email) = await mail.Factory.SignedInClientAsync();
        var referral = await client.AddReferralAsync(mail.Factory, "Brooklyn Eating Disorder Clinic", "eating disorders", "(718) 555-0134");

        var filled = await client.FillTemplateAsync(inquiry.Id, await mail.Factory.TemplateIdAsync("Not a fit right now"), referral);
        Assert.StartsWith("Dear Maya,", filled.Body(), StringComparison.Ordinal);
        Assert.Contains("- Brooklyn Eating Disorder Clinic — eating disorders — (718) 555-0134", filled.Body(), StringComparison.Ordinal);
        Assert.DoesNotContain("{", filled.Subject() + filled.Body(), StringComparison.Ordinal);
        var pageUrl = $"/admin/inquiries/{inquiry.Id}/reply?template={await mail.Factory.TemplateIdAsync("Not a fit right now")}&referral={referral}";
        using var sent = await client.SendReplyAsync(pageUrl, filled.Subject(), filled.Body());

        Assert.Equal(HttpStatusCode.Redirect, sent.StatusCode);
        var received = (await mail.Smtp.WaitForAsync(r => r.Any(m => m.EnvelopeTo.Contains("maya@example.com")))).Single(m => m.EnvelopeTo.Contains("maya@example.com"));
        Assert.Equal("maya@example.com", received.Message.To.Mailboxes.Single().Address);
        Assert.Equal(MailHarness.FromAddress, received.Message.From.Mailboxes.Single().Address);
        Assert.Equal(MailHarness.PracticeAddress, received.Message.ReplyTo.Mailboxes.Single().Address);
        Assert.Equal("About your inquiry", received.Message.Subject);
        Assert.StartsWith("Dear Maya,", received.TextBody, StringComparison.Ordinal);
        Assert.Contains("- Brooklyn Eating Disorder Clinic — eating disorders — (718) 555-0134", received.TextBody, StringComparison.Ordinal);
        Assert.Contains(CrisisLines.Text, received.TextBody.ReplaceLineEndings(" "), StringComparison.Ordinal);
        Assert.Contains("https://kap.test/", received.TextBody, StringComparison.Ordinal);
        Assert.DoesNotContain("zqsecret", received.TextBody, StringComparison.Ordinal);
        Assert.DoesNotContain("she/her", received.TextBody, StringComparison.Ordinal);
        Assert.DoesNotContain("Maya", received.Message.Subject, StringComparison.Ordinal);

        var reply = Assert.Single(await mail.Factory.RepliesAsync());
        Assert.Equal((inquiry.Id, email), (reply.InquiryId, reply.Author));
        Assert.Equal(received.Message.MessageId, Assert.Single(reply.OutboxMessages).MessageId);
        Assert.Equal(InquiryStatus.Contacted, (await mail.Factory.InquiryAsync(inquiry.Id)).Status);
        var audit = await mail.Factory.AuditAsync();
        Assert.Contains(audit, e => e.Action == AuditActions.ReplySent && e.InquiryId == inquiry.Id && e.Actor == email && e.Detail == $"reply: {reply.Id}; outbox: {reply.OutboxMessages[0].Id}");
        Assert.Contains(audit, e => e.Action == AuditActions.StatusChanged && e.InquiryId == inquiry.Id && e.Detail == "status: Contacted");

        await mail.Factory.WaitForRowAsync(inquiry.Id, OutboxKind.ClientReply, r => r.State == OutboxState.Sent);
        var page = await client.GetDocumentAsync($"/admin/inquiries/{inquiry.Id}");
        var entry = page.QuerySelector("#timeline li.reply")!;
        Assert.Contains(email, entry.QuerySelector(".reply-meta")!.TextContent, StringComparison.Ordinal);
        Assert.Equal("sent", entry.QuerySelector(".delivery")!.TextContent);
        Assert.Equal("About your inquiry", entry.QuerySelector(".reply-subject")!.TextContent);
        Assert.StartsWith("Dear Maya,", entry.QuerySelector(".reply-text")!.TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_reply_the_server_refuses_is_shown_failed_and_resend_queues_a_new_message_that_arrives()
    {
        await using var mail = await StartAsync();
        var inquiry = await mail.Factory.SubmitAsync(ValidInquiry.With(i => i.Email = "sam@example.com"));
        await mail.Smtp.WaitForCountAsync(1);
        var (client, email) = await mail.Factory.SignedInClientAsync();
        mail.Smtp.RefuseNext(1, 550, "5.1.1 No such mailbox");

        using var sent = await client.SendReplyAsync($"/admin/inquiries/{inquiry.Id}", "Next steps", "Hello Sam, thank you for writing.");
        var failed = await mail.Factory.WaitForRowAsync(inquiry.Id, OutboxKind.ClientReply, r => r.State == OutboxState.Failed);
        var page = await client.GetDocumentAsync($"/admin/inquiries/{inquiry.Id}");

        var entry = page.QuerySelector("#timeline li.reply")!;
        Assert.Equal("failed", entry.QuerySelector(".delivery")!.TextContent);
        Assert.Contains("No such mailbox", entry.QuerySelector(".reply-error")!.TextContent, StringComparison.Ordinal);
        var replyId = Assert.Single(await mail.Factory.RepliesAsync()).Id;
        using var resent = await client.PostAdminFormAsync($"/admin/inquiries/{inquiry.Id}", $"/replies/{replyId}/resend");
        Assert.Equal(HttpStatusCode.Redirect, resent.StatusCode);

        var arrived = (await mail.Smtp.WaitForAsync(r => r.Any(m => m.EnvelopeTo.Contains("sam@example.com")))).Single(m => m.EnvelopeTo.Contains("sam@example.com"));
        Assert.Equal("Next steps", arrived.Message.Subject);
        var reply = Assert.Single(await mail.Factory.RepliesAsync());
        Assert.Equal(2, reply.OutboxMessages.Count);
        Assert.NotEqual(failed.MessageId, arrived.Message.MessageId);
        Assert.Equal(reply.OutboxMessages.OrderBy(m => m.Id).Last().MessageId, arrived.Message.MessageId);
        Assert.Contains(await mail.Factory.AuditAsync(), e => e.Action == AuditActions.ReplyResent && e.Actor == email && e.Detail!.StartsWith($"reply: {reply.Id};", StringComparison.Ordinal));
        await mail.Factory.WaitForRowAsync(inquiry.Id, OutboxKind.ClientReply, r => r.State == OutboxState.Sent);
        page = await client.GetDocumentAsync($"/admin/inquiries/{inquiry.Id}");
        Assert.Equal("sent", page.QuerySelector("#timeline li.reply .delivery")!.TextContent);
    }

    [Fact]
    public async Task Resending_while_the_reply_is_still_queued_adds_nothing_and_says_so()
    {
        // The mail server is down: the reply waits for a retry the standing fake clock never reaches.
        await using var mail = await StartAsync(smtpRunning: false);
        var inquiry = await mail.Factory.SubmitAsync(ValidInquiry.Form());
        var (client, _) = await mail.Factory.SignedInClientAsync();
        using var sent = await client.SendReplyAsync($"/admin/inquiries/{inquiry.Id}", "Next steps", "Hello.");
        await mail.Factory.WaitForRowAsync(inquiry.Id, OutboxKind.ClientReply, r => r.Attempts == 1 && r.State == OutboxState.Pending);
        var reply = Assert.Single(await mail.Factory.RepliesAsync());

        var page = await client.GetDocumentAsync($"/admin/inquiries/{inquiry.Id}");
        Assert.Equal("queued", page.QuerySelector("#timeline li.reply .delivery")!.TextContent);
        Assert.Null(page.QuerySelector("#timeline form[action$='/resend']"));

        // A hand-made post (no button is shown while it is queued) is refused.
        using var resent = await client.PostWithTokenAsync($"/admin/inquiries/{inquiry.Id}", $"/admin/inquiries/{inquiry.Id}/replies/{reply.Id}/resend", []);
        Assert.Equal(HttpStatusCode.Redirect, resent.StatusCode);
        page = await client.GetDocumentAsync(resent.Headers.Location!.OriginalString);
        Assert.Equal(KapPractice.Web.Features.Replies.RepliesController.AlreadyQueuedMessage, page.QuerySelector(".flash")!.TextContent);
        Assert.Single(Assert.Single(await mail.Factory.RepliesAsync()).OutboxMessages);
        Assert.DoesNotContain(await mail.Factory.AuditAsync(), e => e.Action == AuditActions.ReplyResent);
    }

    [Fact]
    public async Task Resending_a_reply_already_delivered_adds_nothing_and_says_so()
    {
        await using var mail = await StartAsync();
        var inquiry = await mail.Factory.SubmitAsync(ValidInquiry.With(i => i.Email = "sam@example.com"));
        await mail.Smtp.WaitForCountAsync(1);
        var (client, _) = await mail.Factory.SignedInClientAsync();
        using var sent = await client.SendReplyAsync($"/admin/inquiries/{inquiry.Id}", "Next steps", "Hello Sam.");
        await mail.Factory.WaitForRowAsync(inquiry.Id, OutboxKind.ClientReply, r => r.State == OutboxState.Sent);
        await mail.Smtp.WaitForAsync(r => r.Any(m => m.EnvelopeTo.Contains("sam@example.com")));
        var reply = Assert.Single(await mail.Factory.RepliesAsync());

        // A stale tab still showing the failed reply's resend button posts it with a valid token.
        using var resent = await client.PostWithTokenAsync($"/admin/inquiries/{inquiry.Id}", $"/admin/inquiries/{inquiry.Id}/replies/{reply.Id}/resend", []);

        Assert.Equal(HttpStatusCode.Redirect, resent.StatusCode);
        var page = await client.GetDocumentAsync(resent.Headers.Location!.OriginalString);
        Assert.Equal(KapPractice.Web.Features.Replies.RepliesController.AlreadySentMessage, page.QuerySelector(".flash")!.TextContent);
        Assert.Single(Assert.Single(await mail.Factory.RepliesAsync()).OutboxMessages);
        Assert.Single(mail.Smtp.Received, m => m.EnvelopeTo.Contains("sam@example.com"));
        Assert.DoesNotContain(await mail.Factory.AuditAsync(), e => e.Action == AuditActions.ReplyResent);
    }

    [Fact]
    public async Task Two_resends_of_a_failed_reply_at_once_send_it_again_only_once()
    {
        await using var mail = await StartAsync();
        var inquiry = await mail.Factory.SubmitAsync(ValidInquiry.With(i => i.Email = "sam@example.com"));
        await mail.Smtp.WaitForCountAsync(1);
        var (client, _) = await mail.Factory.SignedInClientAsync();
        mail.Smtp.RefuseNext(1, 550, "5.1.1 No such mailbox");
        using var sent = await client.SendReplyAsync($"/admin/inquiries/{inquiry.Id}", "Next steps", "Hello Sam.");
        await mail.Factory.WaitForRowAsync(inquiry.Id, OutboxKind.ClientReply, r => r.State == OutboxState.Failed);
        var reply = Assert.Single(await mail.Factory.RepliesAsync());
        var page = await client.GetDocumentAsync($"/admin/inquiries/{inquiry.Id}");
        var token = page.QuerySelector<AngleSharp.Html.Dom.IHtmlInputElement>("input[name='__RequestVerificationToken']")!.Value;

        async Task<HttpStatusCode> ResendAsync()
        {
            using var content = new FormUrlEncodedContent([new("__RequestVerificationToken", token)]);
            using var response = await client.PostAsync(new Uri($"/admin/inquiries/{inquiry.Id}/replies/{reply.Id}/resend", UriKind.Relative), content);
            return response.StatusCode;
        }

        var codes = await Task.WhenAll(ResendAsync(), ResendAsync());

        Assert.All(codes, c => Assert.Equal(HttpStatusCode.Redirect, c));
        await mail.Factory.WaitForRowAsync(inquiry.Id, OutboxKind.ClientReply, r => r.State == OutboxState.Sent);
        Assert.Equal(2, Assert.Single(await mail.Factory.RepliesAsync()).OutboxMessages.Count);
        Assert.Single(mail.Smtp.Received, m => m.EnvelopeTo.Contains("sam@example.com"));
        Assert.Single(await mail.Factory.AuditAsync(), e => e.Action == AuditActions.ReplyResent);
    }
}

/// <summary>The same on PostgreSQL (the resend's claim is a conditional UPDATE there too).</summary>
[Collection(SharedMailAppWithoutAcknowledgementOnPostgreSql.Name)]
public sealed class ReplySendingTestsOnPostgreSql(SharedMailWithoutAcknowledgementOnPostgreSql shared) : ReplySendingTests(shared);
