using System.Net;
using AngleSharp.Dom;
using AngleSharp.Html.Dom;
using KapPractice.Web.Domain;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Time.Testing;
using Serilog.Core;
using Serilog.Events;

namespace KapPractice.IntegrationTests.Inquiries;

/// <summary>Tests that need an app of their own: the rate limit, the real fill-time minimum, and the logs.</summary>
public sealed class InquiryLimitsTests
{
    [Fact]
    public async Task Posts_that_fail_validation_do_not_count_against_the_limit()
    {
        await using var app = new KapPracticeFactory().WithSetting("Spam:MinimumFillTime", "00:00:00");
        var client = app.NewClient();

        // A person correcting mistakes more times than the limit (5) still gets through.
        for (var i = 0; i < 7; i++)
        {
            Assert.Equal(HttpStatusCode.OK, (await client.SubmitInquiryAsync(InquiryForms.Valid(email: "not-yet-an-address"))).StatusCode);
        }

        InquiryForms.AssertRedirectedToConfirmation(await client.SubmitInquiryAsync(InquiryForms.Valid(email: "fixed@example.com")));
        Assert.Equal("fixed@example.com", Assert.Single(await app.InquiriesAsync()).Email);
    }

    [Fact]
    public async Task The_sixth_inquiry_from_one_address_within_the_window_gets_429_with_the_form_and_every_answer_kept()
    {
        await using var app = new KapPracticeFactory().WithSetting("Spam:MinimumFillTime", "00:00:00");
        var client = app.NewClient();

        for (var i = 0; i < 5; i++)
        {
            InquiryForms.AssertRedirectedToConfirmation(await client.SubmitInquiryAsync(InquiryForms.Valid(email: $"person{i}@example.com")));
        }

        var posted = InquiryForms.Valid("Siobhán O'Brien", "person5@example.com", i => { i.Concerns = [Concern.Grief]; i.Message = "Please keep this."; });
        var sixth = await client.SubmitInquiryAsync(posted);

        // The form itself, not the status-code page: the re-execute middleware leaves a response with a body alone.
        Assert.Equal(HttpStatusCode.TooManyRequests, sixth.StatusCode);
        var page = await Html.ParseAsync(sixth);
        Assert.Equal("Inquiry and eligibility form", page.TextOf("h1"));
        Assert.StartsWith("Error: ", page.Title, StringComparison.Ordinal);
        Assert.Equal(InquiryForms.InquiryLimitMessage, page.TextOf(".error-summary[role=alert] li"));
        Assert.Equal("Siobhán O'Brien", page.QuerySelector<IHtmlInputElement>("input[name=FullName]")!.Value);
        Assert.Equal("person5@example.com", page.QuerySelector<IHtmlInputElement>("input[name=Email]")!.Value);
        Assert.Equal("Please keep this.", page.TextOf("textarea[name=Message]"));
        Assert.True(page.QuerySelector<IHtmlInputElement>("input[name=Concerns][value=Grief]")!.IsChecked);
        Assert.False(page.QuerySelector<IHtmlInputElement>("input[name=Concerns][value=Depression]")!.IsChecked);
        Assert.True(page.QuerySelector<IHtmlInputElement>("input[name=SelfHarmThoughts][value=No]")!.IsChecked);
        Assert.True(page.QuerySelector<IHtmlInputElement>("input[name=ConsentContact]")!.IsChecked);
        Assert.Equal(5, await app.CountAsync());
        // Refused: no permit taken for it, and its form load not marked used, so the same page sent again once the window
        // has passed is stored as an inquiry, not as a replay.
        Assert.Equal(5, await app.WithDbAsync(db => db.InquiryPermits.CountAsync()));
        Assert.Equal(5, await app.WithDbAsync(db => db.UsedFillTokens.CountAsync()));
        // Reading the form is not limited.
        await client.GetDocumentAsync(InquiryForms.Url);
    }

    [Fact]
    public async Task The_rate_limit_comes_from_configuration()
    {
        await using var app = new KapPracticeFactory()
            .WithSetting("Spam:MinimumFillTime", "00:00:00")
            .WithSetting("RateLimiting:InquiryPermitLimit", "2");
        var client = app.NewClient();

        InquiryForms.AssertRedirectedToConfirmation(await client.SubmitInquiryAsync(InquiryForms.Valid(email: "a@example.com")));
        InquiryForms.AssertRedirectedToConfirmation(await client.SubmitInquiryAsync(InquiryForms.Valid(email: "b@example.com")));

        Assert.Equal(HttpStatusCode.TooManyRequests, (await client.SubmitInquiryAsync(InquiryForms.Valid(email: "c@example.com"))).StatusCode);
        Assert.Equal(2, await app.CountAsync());
    }

    [Fact]
    public async Task Posts_sent_at_once_from_one_address_store_exactly_the_limit_and_the_rest_get_429()
    {
        await using var app = new KapPracticeFactory()
            .WithSetting("Spam:MinimumFillTime", "00:00:00")
            .WithSetting("RateLimiting:InquiryPermitLimit", "2")
            .WithSetting("RateLimiting:InquiryFloodLimit", "100") // so every 429 is the permits' own
            .WithClientAddresses();
        // Each post its own visitor (cookies, token), all from one address and sent together, so their permits may race.
        var posts = Enumerable.Range(0, 6)
            .Select(i => app.NewClient().From("203.0.113.30").SubmitInquiryAsync(InquiryForms.Valid(email: $"at-once{i}@example.com")));

        var answers = await Task.WhenAll(posts);

        Assert.Equal(2, answers.Count(InquiryForms.IsRedirectToConfirmation));
        var refused = answers.Where(a => !InquiryForms.IsRedirectToConfirmation(a)).ToList();
        Assert.Equal(4, refused.Count);
        foreach (var answer in refused)
        {
            await InquiryForms.AssertRefusedByInquiryLimitAsync(answer);
        }

        Assert.Equal(2, await app.CountAsync());
    }

    [Fact]
    public async Task One_address_reaching_the_limit_does_not_limit_another()
    {
        await using var app = new KapPracticeFactory()
            .WithSetting("Spam:MinimumFillTime", "00:00:00")
            .WithSetting("RateLimiting:InquiryPermitLimit", "1")
            .WithClientAddresses();
        var first = app.NewClient().From("203.0.113.10");
        var second = app.NewClient().From("203.0.113.20");

        InquiryForms.AssertRedirectedToConfirmation(await first.SubmitInquiryAsync(InquiryForms.Valid(email: "a1@example.com")));
        Assert.Equal(HttpStatusCode.TooManyRequests, (await first.SubmitInquiryAsync(InquiryForms.Valid(email: "a2@example.com"))).StatusCode);

        InquiryForms.AssertRedirectedToConfirmation(await second.SubmitInquiryAsync(InquiryForms.Valid(email: "b1@example.com")));
        Assert.Equal(["a1@example.com", "b1@example.com"], (await app.InquiriesAsync()).Select(i => i.Email));
    }

    [Fact]
    public async Task A_flood_of_posts_from_one_address_gets_the_plain_429_page_and_other_addresses_are_unaffected()
    {
        await using var app = new KapPracticeFactory()
            .WithSetting("Spam:MinimumFillTime", "00:00:00")
            .WithSetting("RateLimiting:InquiryFloodLimit", "3")
            .WithClientAddresses();
        var flooder = app.NewClient().From("198.51.100.7");
        var other = app.NewClient().From("198.51.100.8");

        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(HttpStatusCode.OK, (await flooder.SubmitInquiryAsync(InquiryForms.Valid(email: "junk"))).StatusCode);
        }

        var refused = await flooder.SubmitInquiryAsync(InquiryForms.Valid(email: "flood@example.com"));

        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        var page = await Html.ParseAsync(refused);
        Assert.Equal("Please wait a moment", page.TextOf("h1"));
        // Nothing may claim earlier posts arrived: they may all have failed validation.
        Assert.DoesNotContain("received", page.TextOf("main"), StringComparison.OrdinalIgnoreCase);
        Assert.Equal(0, await app.CountAsync());

        InquiryForms.AssertRedirectedToConfirmation(await other.SubmitInquiryAsync(InquiryForms.Valid(email: "other@example.com")));
    }

    [Fact]
    public async Task A_form_sent_back_faster_than_the_minimum_fill_time_is_stored_as_spam_and_a_patient_one_is_not()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 6, 1, 9, 0, 0, TimeSpan.Zero));
        await using var app = new KapPracticeFactory().WithServices(services => services.Replace(ServiceDescriptor.Singleton<TimeProvider>(time)));
        var client = app.NewClient();

        // SubmitFormAsync loads the form (signing "now") and posts at once: zero seconds on the fake clock.
        var hasty = await client.SubmitInquiryAsync(InquiryForms.Valid(email: "hasty@example.com"));

        var page = await client.GetDocumentAsync(InquiryForms.Url);
        var form = page.QuerySelector<AngleSharp.Html.Dom.IHtmlFormElement>("form.inquiry-form")!;
        time.Advance(TimeSpan.FromSeconds(3));
        using var content = new FormUrlEncodedContent(Html.FieldsOf(form, InquiryForms.Valid(email: "patient@example.com")));
        var patient = await client.PostAsync(new Uri(InquiryForms.Url, UriKind.Relative), content);

        InquiryForms.AssertRedirectedToConfirmation(hasty);
        InquiryForms.AssertRedirectedToConfirmation(patient);
        var stored = await app.InquiriesAsync();
        var spam = stored.Single(i => i.Email == "hasty@example.com");
        Assert.True(spam.IsSuspectedSpam);
        Assert.Equal("Sent 0.0 s after the form was shown (the minimum is 3 s).", spam.SpamReason);
        Assert.Empty(spam.OutboxMessages);
        var real = stored.Single(i => i.Email == "patient@example.com");
        Assert.False(real.IsSuspectedSpam);
        Assert.Equal(time.GetUtcNow().UtcDateTime, real.ReceivedUtc);
        Assert.Equal(2, real.OutboxMessages.Count);
    }

    [Fact]
    public async Task A_submission_leaves_no_name_email_or_answer_in_the_logs()
    {
        var sink = new CollectingSink();
        await using var app = new KapPracticeFactory()
            .WithSetting("Spam:MinimumFillTime", "00:00:00")
            .WithServices(services => services.AddSingleton<ILogEventSink>(sink));
        var client = app.NewClient();

        InquiryForms.AssertRedirectedToConfirmation(await client.SubmitInquiryAsync(
            InquiryForms.Valid("Quintessa Marchbanks", "quintessa.marchbanks@example.com", i => i.Message = "Zanzibar-unique-message")));
        await client.SubmitInquiryAsync(InquiryForms.Valid("Quintessa Marchbanks", "bad-address"));

        var text = string.Join('\n', sink.Events.Select(e => e.RenderMessage() + " " + string.Join(' ', e.Properties.Values)));
        Assert.Contains("Inquiry 1 stored", text, StringComparison.Ordinal);
        Assert.DoesNotContain("Quintessa", text, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("marchbanks", text, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("Zanzibar", text, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("bad-address", text, StringComparison.OrdinalIgnoreCase);
    }

    private sealed class CollectingSink : ILogEventSink
    {
        private readonly System.Collections.Concurrent.ConcurrentQueue<LogEvent> _events = new();

        public IEnumerable<LogEvent> Events => _events;

        public void Emit(LogEvent logEvent) => _events.Enqueue(logEvent);
    }
}
