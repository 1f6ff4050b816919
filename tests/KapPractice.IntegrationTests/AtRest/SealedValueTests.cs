using System.Net;
using KapPractice.Web.Domain;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using KapPractice.IntegrationTests.FollowUp;
using Serilog.Core;

namespace KapPractice.IntegrationTests.AtRest;

/// <summary>Sealed values are bound to their column (docs/security.md).</summary>
[Collection(CapturedLogs.Name)]
public sealed class SealedValueTests
{
    [Fact]
    public async Task A_value_moved_into_another_column_reads_as_unreadable_on_the_page_and_in_the_log_never_as_an_answer()
    {
        var logs = new LogCapture();
        await using var app = new AtRestFactory();
        app.WithServices(services => services.AddSingleton<ILogEventSink>(logs));
        var inquiry = await app.SubmitAsync(ValidInquiry.With(i => { i.FullName = "Moved Answer"; i.SelfHarmThoughts = YesNo.No; i.PsychoticDisorder = YesNoNotSure.NotSure; }));

        // Someone with write access to a copy swaps one sealed answer into another column of the same length.
        await app.WithDbAsync(db => db.Database.ExecuteSqlRawAsync(
            "UPDATE \"Inquiries\" SET \"SelfHarmThoughts\" = \"PsychoticDisorder\" WHERE \"Id\" = {0}", inquiry.Id));
        var (admin, _) = await app.SignedInClientAsync();

        using var response = await admin.GetAsync(new Uri($"/admin/inquiries/{inquiry.Id}", UriKind.Relative));
        var html = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains(WebUtility.HtmlEncode(UnreadableValue.Text), html, StringComparison.Ordinal);
        Assert.Contains("Moved Answer", html, StringComparison.Ordinal);
        Assert.Equal(UnreadableValue.Choice<YesNo>(), (await app.StoredAsync(inquiry.Id)).SelfHarmThoughts);
        Assert.Equal(YesNoNotSure.NotSure, (await app.StoredAsync(inquiry.Id)).PsychoticDisorder);
        // Once for each time it was read (the page, the check above), each naming the column and nothing it held.
        var lines = logs.Lines.Where(l => l.Contains("could not be read", StringComparison.Ordinal)).ToList();
        Assert.NotEmpty(lines);
        Assert.All(lines, line =>
        {
            Assert.Contains("Inquiries.SelfHarmThoughts", line, StringComparison.Ordinal);
            Assert.DoesNotContain("NotSure", line, StringComparison.Ordinal);
            Assert.DoesNotContain("Moved Answer", line, StringComparison.Ordinal);
        });
    }

    [Fact]
    public async Task The_list_search_reads_past_a_value_that_does_not_open_and_finds_the_inquiry_by_the_rest()
    {
        var logs = new LogCapture();
        await using var app = new AtRestFactory();
        app.WithServices(services => services.AddSingleton<ILogEventSink>(logs));
        var tag = Guid.NewGuid().ToString("N")[..8];
        var inquiry = await app.SubmitAsync(ValidInquiry.With(i => { i.FullName = "Moved Name"; i.Email = $"moved.{tag}@example.org"; }));
        await app.SubmitAsync(ValidInquiry.With(i => i.FullName = "Another Client"));

        // The name's column now holds the address's envelope, which does not open there.
        await app.WithDbAsync(db => db.Database.ExecuteSqlRawAsync(
            "UPDATE \"Inquiries\" SET \"FullName\" = \"Email\" WHERE \"Id\" = {0}", inquiry.Id));
        var (admin, _) = await app.SignedInClientAsync();

        using var response = await admin.GetAsync(new Uri($"/admin?q=MOVED.{tag}", UriKind.Relative));
        var html = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("1 inquiry matches", html, StringComparison.Ordinal);
        Assert.Contains($"moved.{tag}@example.org", html, StringComparison.Ordinal);
        Assert.Contains(WebUtility.HtmlEncode(UnreadableValue.Text), html, StringComparison.Ordinal);
        Assert.DoesNotContain("Another Client", html, StringComparison.Ordinal);
        var lines = logs.Lines.Where(l => l.Contains("could not be read", StringComparison.Ordinal)).ToList();
        Assert.NotEmpty(lines);
        Assert.All(lines, line =>
        {
            Assert.Contains("Inquiries.FullName", line, StringComparison.Ordinal);
            Assert.DoesNotContain(tag, line, StringComparison.Ordinal);
        });
    }
}
