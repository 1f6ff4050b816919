using System.Text;
using CsvHelper;
using KapPractice.Web.Domain;

namespace KapPractice.IntegrationTests.FollowUp;

/// <summary>Every time a person reads is New York time with the zone named; the machine-readable attributes stay UTC.</summary>
[Collection(SharedMailAppWithoutAcknowledgement.Name)]
public sealed class LocalTimeTests(SharedMailWithoutAcknowledgement shared)
{
    [Fact]
    public async Task Admin_pages_the_csv_and_the_notification_show_new_york_time()
    {
        // MailHarness's clock: Monday 2 March 2026, 09:00 UTC, which is 04:00 EST.
        await using var mail = await shared.StartAsync();
        var tag = Guid.NewGuid().ToString("N")[..8];
        var inquiry = await mail.Factory.SubmitAsync(ValidInquiry.With(i => i.FullName = $"Zoned {tag}"));
        var notification = Assert.Single(await mail.Smtp.WaitForAsync(_ => mail.To(MailHarness.PracticeAddress).Count == 1));
        var (client, _) = await mail.Factory.SignedInClientAsync();

        var list = await client.GetDocumentAsync($"/admin?q={tag}");
        var received = list.QuerySelector("table.inquiries td[data-label=Received] time")!;
        Assert.Equal("2026-03-02 04:00 Eastern", received.TextContent);
        Assert.Equal("2026-03-02T09:00:00Z", received.GetAttribute("datetime"));

        var page = await client.GetDocumentAsync($"/admin/inquiries/{inquiry.Id}");
        Assert.Equal("2026-03-02 04:00 Eastern", page.QuerySelector(".lede time")!.TextContent);
        Assert.Contains("queued 2026-03-02 04:00 Eastern", page.QuerySelector(".emails")!.TextContent, StringComparison.Ordinal);
        Assert.Equal("2026-03-02 04:00 Eastern", page.QuerySelectorAll(".answer").Single(a => a.QuerySelector("dt")!.TextContent == "All five consents given").QuerySelector("dd")!.TextContent);

        var audit = await client.GetDocumentAsync("/admin/audit");
        Assert.Equal("2026-03-02 04:00:00 Eastern", audit.QuerySelector("table.audit td[data-label=When] time")!.TextContent);
        var security = await client.GetDocumentAsync("/admin/security");
        Assert.Contains("2026-03-02 04:00 Eastern", security.QuerySelector("td[data-label='Signed in'] time")!.TextContent, StringComparison.Ordinal);
        var delete = await client.GetDocumentAsync($"/admin/inquiries/{inquiry.Id}/delete");
        Assert.Contains("received 2026-03-02 04:00 Eastern,", delete.QuerySelector("main")!.TextContent, StringComparison.Ordinal);

        using var export = await client.GetAsync(new Uri($"/admin/export?q={tag}", UriKind.Relative));
        var bytes = await export.Content.ReadAsByteArrayAsync();
        using var csv = CsvReader.FromText(Encoding.UTF8.GetString(bytes[3..]));
        Assert.True(csv.Read());
        var headers = csv.Headers.ToList();
        Assert.Equal("2026-03-02T04:00:00-05:00", csv.GetString(headers.IndexOf("Received (America/New_York)")));
        Assert.Equal("2026-03-02T04:00:00-05:00", csv.GetString(headers.IndexOf("First viewed (America/New_York)")));
        Assert.Equal("2026-03-02T04:00:00-05:00", csv.GetString(headers.IndexOf("All five consents given")));
        Assert.Contains("Status changed (America/New_York)", headers);
        Assert.DoesNotContain(headers, h => h.Contains("UTC", StringComparison.Ordinal));

        Assert.Contains($"New inquiry #{inquiry.Id}, received 2026-03-02 04:00 Eastern", notification.TextBody, StringComparison.Ordinal);
        Assert.Contains("All five consents given\n    2026-03-02 04:00 Eastern", notification.TextBody.ReplaceLineEndings("\n"), StringComparison.Ordinal);
        Assert.DoesNotContain("UTC", notification.TextBody, StringComparison.Ordinal);
        Assert.Equal(OutboxKind.PractitionerNotification, (await mail.Factory.OutboxAsync()).Single(m => m.InquiryId == inquiry.Id).Kind);
    }
}
