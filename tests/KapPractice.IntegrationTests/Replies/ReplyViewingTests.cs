using System.Net;
using KapPractice.Web.Features.Admin;

namespace KapPractice.IntegrationTests.Replies;

/// <summary>Pages of the composer that show the whole inquiry count as opening it, like the inquiry page.</summary>
public sealed class ReplyViewingTests
{
    [Fact]
    public async Task Filling_in_a_template_marks_the_inquiry_opened()
    {
        await using var mail = await MailHarness.StartAsync(f => f.WithSetting("Email:SendClientAcknowledgement", "false"));
        var inquiry = await mail.Factory.SubmitAsync(ValidInquiry.Form());
        var (client, _) = await mail.Factory.SignedInClientAsync();

        using var fill = await client.GetAsync(new Uri($"/admin/inquiries/{inquiry.Id}/reply?template={await mail.Factory.TemplateIdAsync("Let's talk")}", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, fill.StatusCode);
        Assert.Equal(mail.Time.GetUtcNow().UtcDateTime, (await mail.Factory.InquiryAsync(inquiry.Id)).FirstViewedUtc);
    }

    [Fact]
    public async Task A_refused_send_that_shows_the_inquiry_again_is_audited_as_viewed()
    {
        await using var mail = await MailHarness.StartAsync(f => f.WithSetting("Email:SendClientAcknowledgement", "false"));
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
