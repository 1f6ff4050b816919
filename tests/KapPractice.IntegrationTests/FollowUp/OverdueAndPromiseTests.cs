using System.Net;
using KapPractice.Web.Domain;
using Microsoft.Extensions.Options;

namespace KapPractice.IntegrationTests.FollowUp;

/// <summary>The promised reply time on the public pages, and the Overdue mark once it has passed.</summary>
public sealed class OverdueAndPromiseTests
{
    [Fact]
    public async Task An_inquiry_still_new_is_marked_overdue_in_the_list_and_on_its_page_once_two_business_days_have_passed()
    {
        await using var mail = await MailHarness.StartAsync(f => f.WithSetting("Email:SendClientAcknowledgement", "false"));
        var tag = Guid.NewGuid().ToString("N")[..8];
        // Monday 2 March, 04:00 in New York: due by the end of Wednesday.
        var waiting = await mail.Factory.SubmitAsync(ValidInquiry.With(i => i.FullName = $"Waiting {tag}"));
        var answered = await mail.Factory.SubmitAsync(ValidInquiry.With(i => i.FullName = $"Answered {tag}"));
        var wednesdayLate = new DateTimeOffset(2026, 3, 5, 4, 58, 0, TimeSpan.Zero); // 23:58 EST
        mail.SetUtc(wednesdayLate);
        var (client, _) = await mail.Factory.SignedInClientAsync();
        using (var contacted = await client.PostAdminFormAsync($"/admin/inquiries/{answered.Id}", "/status", ("status", "Contacted")))
        {
            Assert.Equal(HttpStatusCode.Redirect, contacted.StatusCode);
        }

        var before = await client.GetDocumentAsync($"/admin?q={tag}");
        var beforePage = await client.GetDocumentAsync($"/admin/inquiries/{waiting.Id}");

        Assert.Empty(before.QuerySelectorAll("table.inquiries .tag-overdue"));
        Assert.Null(beforePage.QuerySelector(".tag-overdue"));
        Assert.Equal("A reply was promised within 2 business days: due before 2026-03-05 00:00 Eastern.", Normalize(beforePage.QuerySelector(".reply-due")!.TextContent));

        mail.SetUtc(wednesdayLate.AddMinutes(3));
        var after = await client.GetDocumentAsync($"/admin?q={tag}");
        var afterPage = await client.GetDocumentAsync($"/admin/inquiries/{waiting.Id}");

        var rows = after.QuerySelectorAll("table.inquiries tbody tr");
        Assert.Equal("Overdue", rows.Single(r => r.TextContent.Contains($"Waiting {tag}", StringComparison.Ordinal)).QuerySelector("td[data-label=Status] .tag-overdue")!.TextContent);
        Assert.Null(rows.Single(r => r.TextContent.Contains($"Answered {tag}", StringComparison.Ordinal)).QuerySelector(".tag-overdue"));
        Assert.Equal("Overdue A reply was promised within 2 business days: it was due before 2026-03-05 00:00 Eastern.", Normalize(afterPage.QuerySelector(".reply-due")!.TextContent));

        var overdueOnly = await client.GetDocumentAsync($"/admin?overdue=true&q={tag}");
        Assert.Equal([$"Waiting {tag}"], overdueOnly.QuerySelectorAll("table.inquiries tbody tr td[data-label=Name] a").Select(a => a.TextContent));
    }

    [Theory]
    [InlineData(null, "Leslie replies within 2 business days")]
    [InlineData("1", "Leslie replies within 1 business day")]
    [InlineData("5", "Leslie replies within 5 business days")]
    public async Task The_form_and_the_thank_you_page_promise_the_configured_reply_time_next_to_the_crisis_lines(string? days, string promise)
    {
        await using var factory = new KapPracticeFactory();
        if (days is not null)
        {
            factory.WithSetting("FollowUp:RespondWithinBusinessDays", days);
        }

        var client = factory.CreateClient();
        var form = await client.GetDocumentAsync("/inquiry");
        var thanks = await client.GetDocumentAsync("/inquiry/thank-you");

        Assert.Equal(
            $"{promise}. If you are in crisis or thinking of harming yourself, please do not wait for a reply: call or text 988 (Suicide & Crisis Lifeline), text HOME to 741741 (Crisis Text Line), or call 911.",
            Normalize(form.QuerySelector(".form-crisis p")!.TextContent));
        var item = thanks.QuerySelectorAll("main li").Single(li => li.QuerySelector(".reply-promise") is not null);
        Assert.StartsWith($"{promise}, by the contact method you chose. If you have not heard back by then, please email", Normalize(item.TextContent), StringComparison.Ordinal);
        // The last thing said about waiting; straight after it, what to do instead of waiting.
        Assert.Same(item, item.ParentElement!.LastElementChild);
        Assert.Equal(
            "If things get harder while you wait Please call or text 988 (Suicide & Crisis Lifeline), text HOME to 741741 (Crisis Text Line), or call 911.",
            Normalize(item.ParentElement.NextElementSibling!.TextContent));
    }

    [Theory]
    [InlineData("FollowUp:DigestTime", "9am")]
    [InlineData("FollowUp:RespondWithinBusinessDays", "0")]
    [InlineData("FollowUp:UrgentRemindAfter", "00:00:00")]
    public async Task A_bad_follow_up_setting_stops_start_up_with_a_message_naming_it(string key, string value)
    {
        await using var factory = new KapPracticeFactory().WithSetting(key, value);

        var error = Assert.Throws<OptionsValidationException>(() => factory.Services);

        Assert.Contains($"{key} must be", error.Message, StringComparison.Ordinal);
    }

    private static string Normalize(string text) => System.Text.RegularExpressions.Regex.Replace(text, @"\s+", " ").Trim();
}
