using KapPractice.Web.Infrastructure.Audit;
using System.Net;
using KapPractice.Web.Infrastructure.Data;
using KapPractice.Web.Domain;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace KapPractice.IntegrationTests.InquiryReview;

/// <summary>The prescriber's summary: /admin/inquiries/{id}/print.</summary>
[Collection(SharedAdminApp.Name)]
public sealed class InquiryPrintTests(AdminFactory factory) : IAsyncLifetime
{
    public Task InitializeAsync() => factory.ResetAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    private static string PrintPath(int id) => $"/admin/inquiries/{id}/print";

    private Task<List<AuditEntry>> AuditForAsync(int id) =>
        factory.WithDbAsync(db => db.AuditEntries.Where(e => e.InquiryId == id).OrderBy(e => e.Id).ToListAsync());

    [Fact]
    public async Task The_summary_shows_every_answer_the_screening_and_the_consent_time_in_New_York_time_and_is_audited_as_printed()
    {
        // 18:05 UTC on a July day is 14:05 in New York (daylight time).
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 7, 15, 18, 5, 0, TimeSpan.Zero));
        await using var app = new AdminFactory();
        app.WithServices(services => services.AddSingleton<TimeProvider>(time));
        var stored = await app.SubmitAsync(ValidInquiry.With(i =>
        {
            i.FullName = "Rowan Ellis";
            i.SeizuresOrEpilepsy = YesNoNotSure.Yes;
            i.Medications = [Medication.Gabapentinoids];
            i.SubstanceUse = SubstanceUse.InRecovery;
            i.SubstanceUseLastProblem = SubstanceUseLastProblem.ThreeToTwelveMonthsAgo;
        }));
        var account = await app.NewAdminAsync();
        time.Advance(TimeSpan.FromMinutes(30));

        using var response = await account.Client.GetAsync(new Uri(PrintPath(stored.Id), UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("no-store", response.Headers.CacheControl!.ToString(), StringComparison.Ordinal);
        var page = await Html.ParseAsync(response);
        Assert.Contains($"Inquiry #{stored.Id}", page.QuerySelector("h1")!.TextContent, StringComparison.Ordinal);
        var facts = page.QuerySelectorAll(".facts div").ToDictionary(f => f.QuerySelector("dt")!.TextContent, f => f.QuerySelector("dd")!.TextContent);
        Assert.Equal("2026-07-15 14:05 Eastern", facts["Received"]);
        Assert.Equal("2026-07-15 14:05 Eastern", facts["All five consents given"]);
        Assert.Equal("2026-07-15 14:35 Eastern", facts["Printed"]);

        var answers = page.QuerySelectorAll(".answer").ToDictionary(a => a.QuerySelector("dt")!.TextContent, a => a.QuerySelector("dd")!.TextContent);
        foreach (var question in typeof(Questions).GetFields().Select(f => (string)f.GetValue(null)!))
        {
            Assert.True(answers.ContainsKey(question), $"the summary leaves out \"{question}\"");
        }

        Assert.Equal("Rowan Ellis", answers[Questions.FullName]);
        Assert.Equal("Yes", answers[Questions.SeizuresOrEpilepsy]);
        Assert.Equal("Gabapentin (Neurontin) or pregabalin (Lyrica)", answers[Questions.Medications]);
        Assert.Equal("3 months to a year ago", answers[Questions.SubstanceUseLastProblem]);
        Assert.Equal("Screening: Needs medical review", page.QuerySelector("#screening-title")!.TextContent);
        Assert.Equal(
            [
                "Needs medical review: Has had a seizure or has epilepsy.",
                "Needs medical review: In recovery from alcohol or drug use.",
                "Needs medical review: Alcohol or drug use was last a problem 3 months to a year ago.",
                "Needs medical review: Takes gabapentin or pregabalin.",
            ],
            page.QuerySelectorAll(".screening li").Select(li => li.TextContent));

        var printed = Assert.Single((await app.WithDbAsync(db => db.AuditEntries.Where(e => e.InquiryId == stored.Id).ToListAsync())), e => e.Action == AuditActions.Printed);
        Assert.Equal(account.Email, printed.Actor);
        Assert.Equal(time.GetUtcNow().UtcDateTime, printed.OccurredUtc);
    }

    [Fact]
    public async Task Printing_an_urgent_inquiry_counts_as_opening_it()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 7, 15, 18, 5, 0, TimeSpan.Zero));
        await using var app = new AdminFactory();
        app.WithServices(services => services.AddSingleton<TimeProvider>(time));
        var tag = Guid.NewGuid().ToString("N")[..8];
        var stored = await app.SubmitAsync(ValidInquiry.With(i => { i.FullName = $"Printed {tag}"; i.SelfHarmThoughts = YesNo.Yes; }));
        Assert.Equal(ScreeningOutcome.Urgent, stored.Outcome);
        var account = await app.NewAdminAsync();
        var before = await account.Client.GetDocumentAsync($"/admin?q={tag}");
        Assert.NotNull(Assert.Single(before.QuerySelectorAll("table.inquiries tbody tr")).QuerySelector(".tag-unread"));
        time.Advance(TimeSpan.FromMinutes(20));

        using var response = await account.Client.GetAsync(new Uri(PrintPath(stored.Id), UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var viewed = await app.WithDbAsync(db => db.Inquiries.Where(i => i.Id == stored.Id).Select(i => i.FirstViewedUtc).SingleAsync());
        Assert.Equal(time.GetUtcNow().UtcDateTime, viewed);
        var list = await account.Client.GetDocumentAsync($"/admin?q={tag}");
        var row = Assert.Single(list.QuerySelectorAll("table.inquiries tbody tr"));
        Assert.Contains("urgent", row.ClassList);
        Assert.Null(row.QuerySelector(".tag-unread"));
        Assert.DoesNotContain("unread", row.ClassList);
    }

    [Fact]
    public async Task The_summary_is_a_page_of_its_own_without_the_admin_header_navigation_or_forms()
    {
        var id = (await factory.SubmitAsync(ValidInquiry.Form())).Id;
        var (client, _) = await factory.SignedInClientAsync();

        var page = await client.GetDocumentAsync(PrintPath(id));

        Assert.Empty(page.QuerySelectorAll("nav"));
        Assert.Empty(page.QuerySelectorAll("form"));
        Assert.Null(page.QuerySelector(".admin-header"));
        Assert.DoesNotContain("Sign out", page.Body!.TextContent, StringComparison.Ordinal);
        Assert.Contains("noindex", page.QuerySelector("meta[name=robots]")!.GetAttribute("content")!, StringComparison.Ordinal);
        // Printing works without script: the hint names the browser's own command; the button appears only with the script.
        Assert.Contains("Print command", page.QuerySelector(".print-hint")!.TextContent, StringComparison.Ordinal);
        var button = Assert.Single(page.QuerySelectorAll("button"));
        Assert.True(button.HasAttribute("hidden"));
        Assert.Empty(page.QuerySelectorAll("script:not([src]), style, [style]"));
        Assert.Contains(page.QuerySelectorAll("link[rel=stylesheet]"), l => l.GetAttribute("href")!.Contains("print-summary", StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_inquiry_page_links_to_its_summary()
    {
        var id = (await factory.SubmitAsync(ValidInquiry.Form())).Id;
        var (client, _) = await factory.SignedInClientAsync();

        var page = await client.GetDocumentAsync($"/admin/inquiries/{id}");

        Assert.NotNull(page.QuerySelector($"main a[href='{PrintPath(id)}']"));
    }

    [Fact]
    public async Task A_signed_out_visitor_is_sent_to_the_sign_in_and_nothing_is_audited_as_printed()
    {
        var id = (await factory.SubmitAsync(ValidInquiry.Form())).Id;
        using var client = factory.CreateHttpsClient();

        using var response = await client.GetAsync(new Uri(PrintPath(id), UriKind.Relative));

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.StartsWith("https://localhost/admin/sign-in?ReturnUrl=", response.Headers.Location!.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain(await AuditForAsync(id), e => e.Action == AuditActions.Printed);
        Assert.DoesNotContain("Alex Rivera", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Suspected_spam_still_prints_and_says_it_was_filed_as_spam()
    {
        var id = (await factory.SubmitAsync(ValidInquiry.Form())).Id;
        var (client, _) = await factory.SignedInClientAsync();
        using var marked = await client.PostAdminFormAsync($"/admin/inquiries/{id}", "/spam");
        Assert.Equal(HttpStatusCode.Redirect, marked.StatusCode);

        var page = await client.GetDocumentAsync(PrintPath(id));

        Assert.Contains("Filed as suspected spam", page.QuerySelector(".sheet-header")!.TextContent, StringComparison.Ordinal);
        Assert.Contains(await AuditForAsync(id), e => e.Action == AuditActions.Printed && e.Detail == "suspected spam");
    }

    [Fact]
    public async Task An_inquiry_that_does_not_exist_is_not_found()
    {
        var (client, _) = await factory.SignedInClientAsync();

        using var response = await client.GetAsync(new Uri(PrintPath(999_999), UriKind.Relative));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task What_a_client_typed_is_html_encoded_on_the_summary()
    {
        var id = (await factory.SubmitAsync(ValidInquiry.Form() with { Message = "<img src=x onerror=alert(2)>" })).Id;
        var (client, _) = await factory.SignedInClientAsync();

        using var response = await client.GetAsync(new Uri(PrintPath(id), UriKind.Relative));
        var html = await response.Content.ReadAsStringAsync();

        Assert.DoesNotContain("<img src=x", html, StringComparison.Ordinal);
        Assert.Contains("&lt;img src=x onerror=alert(2)&gt;", html, StringComparison.Ordinal);
    }
}
