using System.Net;
using AngleSharp.Dom;
using KapPractice.Web.Infrastructure.Data;
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
    public async Task The_sixth_post_from_one_address_within_the_window_gets_429_with_a_friendly_page()
    {
        await using var app = new KapPracticeFactory().WithSetting("Spam:MinimumFillTime", "00:00:00");
        var client = app.NewClient();

        for (var i = 0; i < 5; i++)
        {
            InquiryForms.AssertRedirectedToConfirmation(await client.SubmitInquiryAsync(InquiryForms.Valid(email: $"person{i}@example.com")));
        }

        var sixth = await client.SubmitInquiryAsync(InquiryForms.Valid(email: "person5@example.com"));

        Assert.Equal(HttpStatusCode.TooManyRequests, sixth.StatusCode);
        Assert.Equal("Please wait a moment", (await Html.ParseAsync(sixth)).TextOf("h1"));
        Assert.Equal(5, await app.CountAsync());
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
            InquiryForms.Valid("Quintessa Marchbanks", "quintessa.marchbanks@example.com").With("Message", "Zanzibar-unique-message")));
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
