using AngleSharp.Dom;
using AngleSharp.Html.Dom;

namespace KapPractice.IntegrationTests.Inquiries;

[Collection(SharedInquiryApp.Name)]
public sealed class InquiryFormPageTests(InquiryAppFactory factory) : IAsyncLifetime
{
    public Task InitializeAsync() => factory.ResetAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task The_form_groups_every_question_in_fieldsets_with_legends_and_labels_every_input()
    {
        var page = await factory.NewClient().GetDocumentAsync(InquiryForms.Url);
        var form = page.QuerySelector<IHtmlFormElement>("form.inquiry-form")!;

        var sections = form.QuerySelectorAll("fieldset.section > legend h2").Select(h => h.TextContent).ToList();
        Assert.Equal(["1. How to reach you", "2. The basics", "3. What brings you here", "4. Your safety", "5. Medical questions", "6. Before you send"], sections);
        foreach (var input in form.QuerySelectorAll("input:not([type=hidden]), textarea"))
        {
            Assert.NotNull(page.QuerySelector($"label[for='{input.Id}']"));
        }

        foreach (var radio in form.QuerySelectorAll("input[type=radio]"))
        {
            Assert.NotNull(radio.Closest("fieldset.choices")?.QuerySelector("legend"));
        }

        var fieldNames = form.QuerySelectorAll("[name]").Select(e => e.GetAttribute("name")!).ToHashSet();
        Assert.Subset(fieldNames, InquiryForms.Valid().Select(f => f.Key).Append("ManicOrMixedEpisode").ToHashSet());
    }

    [Fact]
    public async Task The_message_hint_asks_to_keep_health_history_for_the_consultation()
    {
        var page = await factory.NewClient().GetDocumentAsync(InquiryForms.Url);

        var message = page.QuerySelector("textarea#Message")!;
        var hint = page.GetElementById(message.GetAttribute("aria-describedby")!)!;
        Assert.Contains("please leave detailed health history for your consultation", hint.TextContent, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task The_crisis_notice_sits_above_the_form_and_beside_the_safety_question()
    {
        var page = await factory.NewClient().GetDocumentAsync(InquiryForms.Url);

        var notice = page.QuerySelector("main .form-crisis")!;
        Assert.True(notice.CompareDocumentPosition(page.QuerySelector("form.inquiry-form")!).HasFlag(AngleSharp.Dom.DocumentPositions.Following));
        Assert.Contains("988", notice.TextContent, StringComparison.Ordinal);
        Assert.Contains("741741", notice.TextContent, StringComparison.Ordinal);
        Assert.Contains("911", notice.TextContent, StringComparison.Ordinal);
        var safetyHint = page.GetElementById("SelfHarmThoughts-hint")!.TextContent;
        Assert.Contains("988", safetyHint, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_honeypot_is_hidden_from_people_and_assistive_technology()
    {
        var page = await factory.NewClient().GetDocumentAsync(InquiryForms.Url);

        var honeypot = page.QuerySelector("input[name=Website]")!;
        Assert.Equal("-1", honeypot.GetAttribute("tabindex"));
        Assert.Equal("off", honeypot.GetAttribute("autocomplete"));
        Assert.Equal("true", honeypot.Closest(".form-hp")!.GetAttribute("aria-hidden"));
        Assert.Equal("Leave this field empty", page.QuerySelector("label[for=Website]")!.TextContent);
    }

    [Fact]
    public async Task The_form_page_has_no_inline_script_or_style()
    {
        var page = await factory.NewClient().GetDocumentAsync(InquiryForms.Url);

        Assert.Empty(page.QuerySelectorAll("script:not([src]):not([type='application/ld+json']), style, [style]"));
        Assert.NotNull(page.QuerySelector("link[rel=stylesheet][href^='/css/forms']"));
    }
}
