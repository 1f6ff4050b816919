using System.Net;
using KapPractice.IntegrationTests.Replies;
using KapPractice.Web.Features.Replies;
using KapPractice.Web.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace KapPractice.IntegrationTests.Booking;

/// <summary>A reply's {BookingLink}: showing it in the composer changes no link; sending the reply is what signs one.</summary>
public sealed partial class BookingReplyLinkTests
{
    [System.Text.RegularExpressions.GeneratedRegex(@"https://kap\.test(/booking/[A-Za-z0-9_\-]+)")]
    private static partial System.Text.RegularExpressions.Regex LinkInText();

    private static Task<int> LinkCountAsync(MailHarness mail, int inquiryId) =>
        mail.Factory.WithDbAsync(db => db.BookingLinks.CountAsync(l => l.InquiryId == inquiryId));

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.PostgreSql)]
    public async Task Filling_in_a_template_with_a_booking_link_cuts_off_no_link_and_the_sent_reply_carries_one_that_works(DatabaseProvider provider)
    {
        // Links last an hour here, so a link past half its life (which sending a reply replaces) is a short step of the fake clock.
        await using var mail = await BookingTestSupport.StartAsync(BookingTestSupport.NextMonday(),
            f => f.WithSetting("Booking:LinkLifetime", "01:00:00").WithSetting("Admin:SignInPermitLimit", "1000"), provider);
        var (older, olderPath) = await mail.InquiryWithLinkAsync(i => i.Email = "older@example.com");
        mail.Time.Advance(TimeSpan.FromMinutes(35));
        var (fresh, freshPath) = await mail.InquiryWithLinkAsync();
        var client = mail.Factory.CreateHttpsClient();
        var (admin, _) = await mail.Factory.SignedInClientAsync();
        var letsTalk = await mail.Factory.TemplateIdAsync("Let's talk");
        var inquiries = new[] { (Id: older, Path: olderPath, Email: "older@example.com"), (Id: fresh, Path: freshPath, Email: "alex@example.com") };

        // The composer, filled in twice, and a send it refuses (no subject) leave the client's link working and add none.
        foreach (var (id, path, _) in inquiries)
        {
            var composerUrl = $"/admin/inquiries/{id}/reply?template={letsTalk}";
            var composer = await admin.GetDocumentAsync(composerUrl);
            Assert.NotEmpty(BookingTestSupport.OfferedTimes(await client.GetDocumentAsync(path)));
            Assert.Contains(ReplyPlaceholders.BookingLink, composer.Body(), StringComparison.Ordinal);
            Assert.Contains(composer.QuerySelectorAll(".reply-notes li"), n => n.TextContent.Contains("when you send", StringComparison.Ordinal));
            Assert.DoesNotMatch(LinkInText(), composer.Body());
            _ = await admin.FillTemplateAsync(id, letsTalk);
            using (var refused = await admin.SendReplyAsync(composerUrl, "", composer.Body()))
            {
                Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
            }

            Assert.NotEmpty(BookingTestSupport.OfferedTimes(await client.GetDocumentAsync(path)));
            Assert.Equal(1, await LinkCountAsync(mail, id));
        }

        foreach (var (id, _, _) in inquiries)
        {
            var composerUrl = $"/admin/inquiries/{id}/reply?template={letsTalk}";
            var composer = await admin.GetDocumentAsync(composerUrl);
            using var sent = await admin.SendReplyAsync(composerUrl, composer.Subject(), composer.Body());
            Assert.Equal(HttpStatusCode.Redirect, sent.StatusCode);
        }

        await mail.Smtp.WaitForAsync(_ => inquiries.All(i => mail.To(i.Email).Any(m => m.Message.Subject == "Next steps after your inquiry")));
        var replyPaths = new Dictionary<int, string>();
        foreach (var (id, _, email) in inquiries)
        {
            var reply = mail.To(email).Single(m => m.Message.Subject == "Next steps after your inquiry");
            Assert.DoesNotContain(ReplyPlaceholders.BookingLink, reply.TextBody, StringComparison.Ordinal);
            replyPaths[id] = LinkInText().Match(reply.TextBody).Groups[1].Value;
            Assert.NotEmpty(BookingTestSupport.OfferedTimes(await client.GetDocumentAsync(replyPaths[id])));
            var stored = await mail.Factory.WithDbAsync(db => db.InquiryReplies.AsNoTracking().SingleAsync(r => r.InquiryId == id));
            Assert.Contains("https://kap.test" + replyPaths[id], stored.Body, StringComparison.Ordinal);
        }

        // With more than half its lifetime left, the reply carries the client's link signed again: both addresses work.
        Assert.NotEmpty(BookingTestSupport.OfferedTimes(await client.GetDocumentAsync(freshPath)));
        Assert.Equal(1, await LinkCountAsync(mail, fresh));

        // With less than half left, the reply carries a new link with a whole lifetime; only an inquiry's newest link
        // works (docs/practitioner-guide.md), so the older one now says to reply instead.
        Assert.Equal(2, await LinkCountAsync(mail, older));
        using var superseded = await client.GetAsync(new Uri(olderPath, UriKind.Relative));
        Assert.Equal(HttpStatusCode.Gone, superseded.StatusCode);
    }

    [Fact]
    public async Task A_reply_too_long_once_its_booking_link_is_filled_in_is_refused_and_keeps_no_new_link()
    {
        await using var mail = await BookingTestSupport.StartAsync(BookingTestSupport.NextMonday(),
            f => f.WithSetting("Booking:LinkLifetime", "01:00:00").WithSetting("Admin:SignInPermitLimit", "1000"));
        var (id, path) = await mail.InquiryWithLinkAsync();
        // Past half its life: sending would make a new link, so one kept after the refusal would show here.
        mail.Time.Advance(TimeSpan.FromMinutes(35));
        var (admin, _) = await mail.Factory.SignedInClientAsync();
        var body = new string('x', Web.Domain.TextLimits.ReplyBody - ReplyPlaceholders.BookingLink.Length - 1) + " " + ReplyPlaceholders.BookingLink;

        using (var refused = await admin.SendReplyAsync($"/admin/inquiries/{id}", "Next steps", body))
        {
            var page = await refused.ExpectAsync(HttpStatusCode.BadRequest);
            Assert.Contains("With the booking link filled in, the reply can be at most", page.QuerySelector("#reply-body-error")!.TextContent, StringComparison.Ordinal);
            Assert.Equal(body, page.Body());
        }

        Assert.Empty(await mail.Factory.RepliesAsync());
        Assert.Equal(1, await LinkCountAsync(mail, id));
        Assert.NotEmpty(BookingTestSupport.OfferedTimes(await mail.Factory.CreateHttpsClient().GetDocumentAsync(path)));
    }
}
