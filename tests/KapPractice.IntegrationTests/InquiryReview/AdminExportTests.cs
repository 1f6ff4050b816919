using KapPractice.Web.Infrastructure.Audit;
using System.Net;
using System.Text;
using CsvHelper;
using KapPractice.Web.Domain;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace KapPractice.IntegrationTests.InquiryReview;

/// <summary>
/// Run on SQLite (<see cref="AdminExportTests"/>) and on PostgreSQL (<see cref="AdminExportTestsOnPostgreSql"/>): the
/// export reads the inquiries as it writes the file, a reader held open while each row is opened and written.
/// </summary>
public abstract class AdminExportTestsBase(AdminFactory factory) : IAsyncLifetime
{
    /// <summary>An app of the same database provider as the shared one, for a test that sets its own clock.</summary>
    protected abstract AdminFactory NewApp();

    public Task InitializeAsync() => factory.ResetAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    private static async Task<List<Dictionary<string, string>>> ReadCsvAsync(HttpResponseMessage response)
    {
        var bytes = await response.Content.ReadAsByteArrayAsync();
        Assert.Equal(Encoding.UTF8.GetPreamble(), bytes[..3]);
        using var csv = CsvReader.FromText(Encoding.UTF8.GetString(bytes[3..]));
        var rows = new List<Dictionary<string, string>>();
        while (csv.Read())
        {
            rows.Add(csv.Headers.Select((name, index) => (name, index)).ToDictionary(h => h.name, h => csv.GetString(h.index)));
        }

        return rows;
    }

    [Fact]
    public async Task Export_of_the_current_filter_has_a_column_for_every_answer()
    {
        var tag = Guid.NewGuid().ToString("N")[..8];
        await using var app = NewApp();
        app.WithServices(services => services.AddSingleton<TimeProvider>(new FakeTimeProvider(new DateTimeOffset(2026, 3, 4, 5, 6, 7, TimeSpan.Zero))));
        var exported = await app.SubmitAsync(ValidInquiry.With(i => { i.FullName = $"Exported {tag}"; i.Concerns = [Concern.Anxiety, Concern.Grief]; i.Medications = [Medication.Benzodiazepines, Medication.Stimulants]; }));
        await app.SubmitAsync(ValidInquiry.With(i => i.FullName = $"Other status {tag}"));
        var (client, email) = await app.SignedInClientAsync();
        using (var contacted = await client.PostAdminFormAsync($"/admin/inquiries/{exported.Id}", "/status", ("status", "Contacted")))
        {
            Assert.Equal(HttpStatusCode.Redirect, contacted.StatusCode);
        }

        using var response = await client.GetAsync(new Uri($"/admin/export?status=Contacted&q={tag}", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/csv", response.Content.Headers.ContentType!.MediaType);
        Assert.Equal("attachment", response.Content.Headers.ContentDisposition!.DispositionType);
        Assert.EndsWith(".csv", response.Content.Headers.ContentDisposition.FileNameStar ?? response.Content.Headers.ContentDisposition.FileName, StringComparison.Ordinal);
        Assert.Contains("no-store", response.Headers.CacheControl!.ToString(), StringComparison.Ordinal);
        var row = Assert.Single(await ReadCsvAsync(response));
        Assert.Equal($"Exported {tag}", row["Full name"]);
        // 05:06:07 UTC on 4 March 2026 is 00:06:07 in New York (EST, UTC-5).
        Assert.Equal("2026-03-04T00:06:07-05:00", row["Received (America/New_York)"]);
        Assert.Equal("Contacted", row["Status"]);
        Assert.Equal("Needs medical review", row["Screening outcome"]);
        Assert.Equal("Needs medical review: Takes benzodiazepines.; Needs medical review: Takes stimulants.", row["Screening reasons"]);
        Assert.Equal("Anxiety; Grief", row["What would you like help with?"]);
        Assert.Equal("Benzodiazepines (for example Xanax, Ativan, Klonopin); Stimulants (for example Adderall, Ritalin)", row["Do you take any of these medications now?"]);
        Assert.Equal("Never", row["Have you taken ketamine before?"]);
        var answerQuestions = AnswerSheet.For(ValidInquiry.Entity(), Labels.Utc).SelectMany(g => g.Answers.Select(a => a.Question));
        Assert.All(answerQuestions, question => Assert.True(row.ContainsKey(question), question));

        var entry = await app.WithDbAsync(db => db.AuditEntries.OrderByDescending(e => e.Id).FirstAsync(e => e.Action == AuditActions.Exported));
        Assert.Equal(email, entry.Actor);
        Assert.StartsWith("rows: 1;", entry.Detail, StringComparison.Ordinal);
        Assert.DoesNotContain(tag, entry.Detail!, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Cells_a_spreadsheet_would_run_as_formulas_start_with_an_apostrophe()
    {
        var tag = Guid.NewGuid().ToString("N")[..8];
        await factory.SubmitAsync(ValidInquiry.With(i => { i.Pronouns = "+she"; i.Phone = "-1 555 0100"; i.Concerns = [Concern.Other]; i.ConcernOther = "@SUM(A1)"; i.Medications = [Medication.Other]; i.MedicationOther = "+Lithium"; }) with
        {
            FullName = $"=HYPERLINK(\"http://evil.example\",\"{tag}\")",
            Message = "Plain text, with a comma",
        });
        var (client, _) = await factory.SignedInClientAsync();

        using var response = await client.GetAsync(new Uri($"/admin/export?q={tag}", UriKind.Relative));

        var row = Assert.Single(await ReadCsvAsync(response));
        Assert.Equal($"'=HYPERLINK(\"http://evil.example\",\"{tag}\")", row["Full name"]);
        Assert.Equal("'+she", row["Pronouns"]);
        Assert.Equal("'-1 555 0100", row["Phone number"]);
        Assert.Equal("'@SUM(A1)", row["If something else, what is it?"]);
        Assert.Equal("'+Lithium", row["If another medication, which?"]);
        Assert.Equal("Plain text, with a comma", row["Anything you would like Leslie to know"]);
    }

    [Fact]
    public async Task The_list_links_to_the_export_of_its_own_filter()
    {
        var (client, _) = await factory.SignedInClientAsync();
        var id = (await factory.SubmitAsync(ValidInquiry.With(i => { i.SelfHarmThoughts = YesNo.Yes; i.Email = "urgent@client.test"; }))).Id;
        using (var spam = await client.PostAdminFormAsync($"/admin/inquiries/{id}", "/spam"))
        {
            Assert.Equal(HttpStatusCode.Redirect, spam.StatusCode);
        }

        var page = await client.GetDocumentAsync("/admin/spam?outcome=Urgent&q=client");

        Assert.Equal("/admin/export?outcome=Urgent&q=client&spam=true", page.QuerySelector("a[href^='/admin/export']")!.GetAttribute("href"));
    }
}

[Collection(SharedAdminApp.Name)]
public sealed class AdminExportTests(AdminFactory factory) : AdminExportTestsBase(factory)
{
    protected override AdminFactory NewApp() => new();
}

[Collection(SharedAdminAppOnPostgreSql.Name)]
public sealed class AdminExportTestsOnPostgreSql(PostgreSqlAdminFactory factory) : AdminExportTestsBase(factory)
{
    protected override AdminFactory NewApp() => new PostgreSqlAdminFactory();
}
