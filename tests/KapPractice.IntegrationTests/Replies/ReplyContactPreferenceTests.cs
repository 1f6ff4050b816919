using System.Net;
using KapPractice.Web.Domain;
using KapPractice.Web.Features.Replies;

namespace KapPractice.IntegrationTests.Replies;

/// <summary>A client who asked to be phoned is emailed only when the practitioner confirms it.</summary>
[Collection(SharedMailAppWithoutAcknowledgement.Name)]
public sealed class ReplyContactPreferenceTests(SharedMailWithoutAcknowledgement shared)
{
    [Fact]
    public async Task The_composer_warns_that_the_client_prefers_phone_and_refuses_to_email_without_the_confirmation()
    {
        await using var mail = await shared.StartAsync();
        var inquiry = await mail.Factory.SubmitAsync(ValidInquiry.With(i => { i.PreferredContact = ContactMethod.Phone; i.Phone = "617-555-0142"; i.Email = "sam@example.com"; }));
        Assert.Equal(ContactMethod.Phone, inquiry.PreferredContact);
        var (client, _) = await mail.Factory.SignedInClientAsync();

        var page = await client.GetDocumentAsync($"/admin/inquiries/{inquiry.Id}");
        Assert.Contains("prefers phone: 617-555-0142", page.QuerySelector("form.reply-form .prefers-phone")!.TextContent, StringComparison.Ordinal);
        using var refused = await client.SendReplyAsync($"/admin/inquiries/{inquiry.Id}", "Next steps", "Hello Sam.");

        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Contains(ReplyForm.PrefersPhoneProblem, (await Html.ParseAsync(refused)).QuerySelector("#reply")!.TextContent, StringComparison.Ordinal);
        Assert.Empty(await mail.Factory.RepliesAsync());

        using var confirmed = await client.SubmitFormAsync($"/admin/inquiries/{inquiry.Id}", [new("Subject", "Next steps"), new("Body", "Hello Sam."), new("EmailDespitePhone", "true")], "form.reply-form");
        Assert.Equal(HttpStatusCode.Redirect, confirmed.StatusCode);
        await mail.Smtp.WaitForAsync(r => r.Any(m => m.EnvelopeTo.Contains("sam@example.com")));
        Assert.Single(await mail.Factory.RepliesAsync());
    }

    [Fact]
    public async Task A_client_who_prefers_email_gets_no_warning()
    {
        await using var mail = await shared.StartAsync();
        var inquiry = await mail.Factory.SubmitAsync(ValidInquiry.Form());
        var (client, _) = await mail.Factory.SignedInClientAsync();

        var page = await client.GetDocumentAsync($"/admin/inquiries/{inquiry.Id}");

        Assert.NotNull(page.QuerySelector("form.reply-form"));
        Assert.Null(page.QuerySelector(".prefers-phone"));
    }
}
