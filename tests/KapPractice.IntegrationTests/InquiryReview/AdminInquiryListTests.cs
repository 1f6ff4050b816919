using KapPractice.Web.Features.Inquiries;
using System.Net;
using KapPractice.Web.Domain;

namespace KapPractice.IntegrationTests.InquiryReview;

/// <summary>Run on SQLite (<see cref="AdminInquiryListTests"/>) and on PostgreSQL (<see cref="AdminInquiryListTestsOnPostgreSql"/>).</summary>
public abstract class AdminInquiryListTestsBase(AdminFactory factory) : IAsyncLifetime
{
    public Task InitializeAsync() => factory.ResetAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    private static string[] Names(AngleSharp.Dom.IDocument page) =>
        [.. page.QuerySelectorAll("table.inquiries tbody tr td[data-label=Name] a").Select(a => a.TextContent)];

    private async Task<int> StoreAsync(Action<InquiryForm> change) => (await factory.SubmitAsync(ValidInquiry.With(change))).Id;

    [Fact]
    public async Task The_list_shows_newest_first_with_urgent_unread_and_email_marks()
    {
        // The older one was read and its email sent; then the mail server went away before the newest, urgent one.
        await using var mail = await MailHarness.StartAsync(f => f.WithSetting("Email:SendClientAcknowledgement", "false"), provider: factory.Provider);
        var tag = Guid.NewGuid().ToString("N")[..8];
        var older = await mail.Factory.SubmitAsync(ValidInquiry.With(i => i.FullName = $"Older {tag}"));
        await mail.Factory.WaitForRowAsync(older.Id, OutboxKind.PractitionerNotification, r => r.State == OutboxState.Sent);
        await mail.Smtp.StopAsync();
        mail.Time.Advance(TimeSpan.FromHours(1));
        var (client, _) = await mail.Factory.SignedInClientAsync();
        await client.GetDocumentAsync($"/admin/inquiries/{older.Id}");
        var newest = await mail.Factory.SubmitAsync(ValidInquiry.With(i => { i.FullName = $"Newest {tag}"; i.SelfHarmThoughts = YesNo.Yes; }));
        await mail.Factory.WaitForRowAsync(newest.Id, OutboxKind.PractitionerNotification, r => r.Attempts == 1 && r.State == OutboxState.Pending);

        var page = await client.GetDocumentAsync($"/admin?q={tag}");

        Assert.Equal([$"Newest {tag}", $"Older {tag}"], Names(page));
        var rows = page.QuerySelectorAll("table.inquiries tbody tr");
        Assert.Contains("urgent", rows[0].ClassList);
        Assert.Equal("Urgent", rows[0].QuerySelector("td[data-label=Screening]")!.TextContent.Trim());
        Assert.NotNull(rows[0].QuerySelector(".tag-unread"));
        Assert.Equal("Pending", rows[0].QuerySelector("td[data-label='Email to you']")!.TextContent.Trim());
        Assert.DoesNotContain("urgent", rows[1].ClassList);
        Assert.Null(rows[1].QuerySelector(".tag-unread"));
        Assert.Equal("Sent", rows[1].QuerySelector("td[data-label='Email to you']")!.TextContent.Trim());
    }

    [Fact]
    public async Task Filters_by_status_and_outcome_and_searches_name_or_email_ignoring_case()
    {
        var tag = Guid.NewGuid().ToString("N")[..8];
        var ana = await StoreAsync(i => { i.FullName = $"Ana Contacted {tag}"; i.BloodPressure = BloodPressure.TreatedAndControlled; });
        await StoreAsync(i => { i.FullName = $"Ben New {tag}"; i.BloodPressure = BloodPressure.TreatedAndControlled; });
        await StoreAsync(i => { i.FullName = $"Cy Eligible {tag}"; i.Email = $"cy.{tag}@Example.ORG"; });
        var (client, _) = await factory.SignedInClientAsync();
        using (var contacted = await client.PostAdminFormAsync($"/admin/inquiries/{ana}", "/status", ("status", "Contacted")))
        {
            Assert.Equal(HttpStatusCode.Redirect, contacted.StatusCode);
        }

        var byStatus = await client.GetDocumentAsync($"/admin?status=Contacted&q={tag}");
        var byOutcome = await client.GetDocumentAsync($"/admin?outcome=NeedsMedicalReview&q={tag}");
        var byBoth = await client.GetDocumentAsync($"/admin?status=New&outcome=NeedsMedicalReview&q={tag}");
        var byEmail = await client.GetDocumentAsync($"/admin?q=CY.{tag.ToUpperInvariant()}@example.org");
        var byName = await client.GetDocumentAsync($"/admin?q=ana contacted {tag}");
        // Without a term: the tab and a status are read in the database, the outcome alone opened without names.
        var all = await client.GetDocumentAsync("/admin");
        var newOnes = await client.GetDocumentAsync("/admin?status=New");
        var byOutcomeAlone = await client.GetDocumentAsync("/admin?outcome=NeedsMedicalReview");

        Assert.Equal([$"Ana Contacted {tag}"], Names(byStatus));
        Assert.Equal([$"Ben New {tag}", $"Ana Contacted {tag}"], Names(byOutcome).OrderBy(n => n, StringComparer.Ordinal).Reverse());
        Assert.Equal([$"Ben New {tag}"], Names(byBoth));
        Assert.Equal([$"Cy Eligible {tag}"], Names(byEmail));
        Assert.Equal([$"Ana Contacted {tag}"], Names(byName));
        Assert.Equal([$"Cy Eligible {tag}", $"Ben New {tag}", $"Ana Contacted {tag}"], Names(all));
        Assert.Equal([$"Cy Eligible {tag}", $"Ben New {tag}"], Names(newOnes));
        Assert.Equal([$"Ben New {tag}", $"Ana Contacted {tag}"], Names(byOutcomeAlone));
        Assert.Equal("Contacted", byStatus.QuerySelector("#status option[selected]")!.GetAttribute("value"));
    }

    [Fact]
    public async Task Search_wildcards_are_matched_literally()
    {
        var tag = Guid.NewGuid().ToString("N")[..8];
        await StoreAsync(i => i.FullName = $"Percent {tag}");
        var (client, _) = await factory.SignedInClientAsync();

        var page = await client.GetDocumentAsync($"/admin?q={tag}%25");

        Assert.Empty(Names(page));
        Assert.Equal("No inquiries match these filters.", page.QuerySelector(".empty")!.TextContent);
    }

    [Fact]
    public async Task An_unknown_filter_value_is_a_bad_request()
    {
        var (client, _) = await factory.SignedInClientAsync();

        using var response = await client.GetAsync(new Uri("/admin?status=Deleted", UriKind.Relative));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task Suspected_spam_is_kept_in_its_own_tab()
    {
        var tag = Guid.NewGuid().ToString("N")[..8];
        await factory.SubmitAsync(ValidInquiry.With(i => i.FullName = $"Spammy {tag}") with { Website = "https://spam.example" });
        await StoreAsync(i => i.FullName = $"Genuine {tag}");
        var (client, _) = await factory.SignedInClientAsync();

        var inbox = await client.GetDocumentAsync($"/admin?q={tag}");
        var spam = await client.GetDocumentAsync($"/admin/spam?q={tag}");

        Assert.Equal([$"Genuine {tag}"], Names(inbox));
        Assert.Equal([$"Spammy {tag}"], Names(spam));
        Assert.Equal("Suspected spam", spam.QuerySelector("h1")!.TextContent);
    }

    [Fact]
    public async Task A_failed_notification_shows_a_banner_until_it_is_sent_again()
    {
        await using var mail = await MailHarness.StartAsync(f => f.WithSetting("Email:SendClientAcknowledgement", "false"), provider: factory.Provider);
        mail.Smtp.RefuseNext(1, 550, "5.7.1 Refused");
        var id = (await mail.Factory.SubmitAsync(ValidInquiry.Form())).Id;
        await mail.Factory.WaitForRowAsync(id, OutboxKind.PractitionerNotification, r => r.State == OutboxState.Failed);
        var (client, _) = await mail.Factory.SignedInClientAsync();

        var before = await client.GetDocumentAsync("/admin");
        Assert.Contains(before.QuerySelectorAll(".banner-error a"), a => a.GetAttribute("href") == $"/admin/inquiries/{id}");

        using var resend = await client.PostAdminFormAsync($"/admin/inquiries/{id}", "/resend");
        var after = await client.GetDocumentAsync("/admin");

        Assert.Equal(HttpStatusCode.Redirect, resend.StatusCode);
        Assert.DoesNotContain(after.QuerySelectorAll(".banner-error a"), a => a.GetAttribute("href") == $"/admin/inquiries/{id}");
    }

    [Fact]
    public async Task The_list_is_paged_25_at_a_time()
    {
        var tag = Guid.NewGuid().ToString("N")[..8];
        for (var n = 26; n >= 0; n--)
        {
            await StoreAsync(i => i.FullName = $"Paged {n:00} {tag}");
        }

        var (client, _) = await factory.SignedInClientAsync();

        var first = await client.GetDocumentAsync($"/admin?q={tag}");
        var nextHref = first.QuerySelector(".pager a[rel=next]")!.GetAttribute("href")!;
        var second = await client.GetDocumentAsync(nextHref);

        Assert.Equal(25, Names(first).Length);
        Assert.Equal($"Paged 00 {tag}", Names(first)[0]);
        Assert.Equal([$"Paged 25 {tag}", $"Paged 26 {tag}"], Names(second));
        Assert.Contains($"q={tag}", nextHref, StringComparison.Ordinal);
    }
}

[Collection(SharedAdminApp.Name)]
public sealed class AdminInquiryListTests(AdminFactory factory) : AdminInquiryListTestsBase(factory);

[Collection(SharedAdminAppOnPostgreSql.Name)]
public sealed class AdminInquiryListTestsOnPostgreSql(PostgreSqlAdminFactory factory) : AdminInquiryListTestsBase(factory);
