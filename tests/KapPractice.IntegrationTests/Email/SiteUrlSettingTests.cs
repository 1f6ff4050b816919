using Microsoft.Extensions.Options;

namespace KapPractice.IntegrationTests.Email;

/// <summary>Links in emails need Practice:SiteUrl: without it real mail says "sign in and open inquiry #N", and start-up warns once.</summary>
[Collection(CapturedLogs.Name)]
public sealed class SiteUrlSettingTests
{
    private const string Warning = "Practice:SiteUrl is not set";

    [Fact]
    public async Task Smtp_without_a_site_url_warns_once_at_start_up_and_the_notification_has_no_broken_link()
    {
        await using var mail = await MailHarness.StartAsync(factory => factory.WithSetting("Practice:SiteUrl", ""));

        var inquiry = await mail.Factory.SubmitAsync(ValidInquiry.Form());
        await mail.Smtp.WaitForAsync(_ => mail.To(MailHarness.PracticeAddress).Count == 1);
        var notification = Assert.Single(mail.To(MailHarness.PracticeAddress));
        _ = await mail.Factory.SubmitAsync(ValidInquiry.With(i => i.Email = "second@client.test"));
        await mail.Smtp.WaitForAsync(_ => mail.To(MailHarness.PracticeAddress).Count == 2);

        Assert.Single(mail.Logs.Lines, line => line.Contains(Warning, StringComparison.Ordinal));
        foreach (var body in new[] { notification.TextBody, notification.HtmlBody })
        {
            Assert.Contains($"Sign in to the admin area of the site and open inquiry #{inquiry.Id}", body, StringComparison.Ordinal);
            Assert.DoesNotContain("/admin/inquiries", body, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Smtp_with_a_site_url_does_not_warn_and_links_to_the_inquiry()
    {
        await using var mail = await MailHarness.StartAsync();

        var inquiry = await mail.Factory.SubmitAsync(ValidInquiry.Form());
        await mail.Smtp.WaitForAsync(_ => mail.To(MailHarness.PracticeAddress).Count == 1);

        Assert.DoesNotContain(mail.Logs.Lines, line => line.Contains(Warning, StringComparison.Ordinal));
        Assert.Contains($"https://kap.test/admin/inquiries/{inquiry.Id}", mail.To(MailHarness.PracticeAddress)[0].TextBody, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("www.example.org")]
    [InlineData("ftp://example.org")]
    public async Task A_site_url_that_is_not_an_absolute_http_address_stops_start_up(string siteUrl)
    {
        await using var factory = new KapPracticeFactory().WithSetting("Practice:SiteUrl", siteUrl);

        var error = Assert.Throws<OptionsValidationException>(() => factory.Services);

        Assert.Contains("Practice:SiteUrl must be an absolute http or https address", error.Message, StringComparison.Ordinal);
    }
}
