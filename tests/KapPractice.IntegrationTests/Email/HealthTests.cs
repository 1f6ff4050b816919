using System.Net;
using System.Text.Json;
using KapPractice.Web.Domain;
using Microsoft.Data.Sqlite;

namespace KapPractice.IntegrationTests.Email;

/// <summary>/healthz: the database and the outbox backlog, for a monitor; counts only.</summary>
[Collection(SharedMailApp.Name)]
public sealed class HealthTests(SharedMail shared)
{
    [Fact]
    public async Task Healthz_reports_the_backlog_and_the_failed_count()
    {
        await using var mail = await shared.StartAsync();
        var client = mail.Factory.CreateClient();

        var (status, empty) = await GetHealthAsync(client);
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(("Healthy", "ok", 0, 0), empty);

        mail.Smtp.RefuseNext(1, 550, "5.7.1 Refused");
        var refused = await mail.Factory.SubmitAsync(ValidInquiry.Form());
        await mail.Factory.WaitForRowAsync(refused.Id, OutboxKind.ClientAcknowledgement, r => r.State == OutboxState.Sent);
        await mail.Smtp.StopAsync();
        var waiting = await mail.Factory.SubmitAsync(ValidInquiry.With(i => i.Email = "ben@client.test"));
        await mail.Factory.WaitForRowAsync(waiting.Id, OutboxKind.ClientAcknowledgement, r => r.Attempts == 1);

        var (after, counts) = await GetHealthAsync(client);
        Assert.Equal(HttpStatusCode.OK, after);
        Assert.Equal(("Degraded", "ok", 2, 1), counts);
    }

    [Fact]
    public async Task A_failed_notification_sent_again_makes_healthz_healthy_and_a_failed_acknowledgement_never_degrades_it()
    {
        await using var mail = await shared.StartAsync();
        var client = mail.Factory.CreateClient();
        mail.Smtp.RefuseNext(2, 550, "5.7.1 Refused");
        var inquiry = await mail.Factory.SubmitAsync(ValidInquiry.Form());
        await mail.Factory.WaitForRowAsync(inquiry.Id, OutboxKind.PractitionerNotification, r => r.State == OutboxState.Failed);
        await mail.Factory.WaitForRowAsync(inquiry.Id, OutboxKind.ClientAcknowledgement, r => r.State == OutboxState.Failed);
        Assert.Equal(("Degraded", "ok", 0, 1), (await GetHealthAsync(client)).Body);

        var (admin, _) = await mail.Factory.SignedInClientAsync();
        using var resend = await admin.PostAdminFormAsync($"/admin/inquiries/{inquiry.Id}", "/resend");
        await Eventually.TrueAsync(
            async () => (await mail.Factory.OutboxAsync()).Any(m => m.InquiryId == inquiry.Id && m.Kind == OutboxKind.PractitionerNotification && m.State == OutboxState.Sent),
            what: "the resent notification to be sent");

        var (status, body) = await GetHealthAsync(client);
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(("Healthy", "ok", 0, 0), body);
        Assert.Equal(OutboxState.Failed, (await mail.Factory.OutboxRowAsync(inquiry.Id, OutboxKind.ClientAcknowledgement)).State);
    }

    [Fact]
    public async Task Healthz_answers_503_when_the_database_is_unreachable_and_is_never_cached()
    {
        await using var factory = new KapPracticeFactory();
        // The database in a folder of its own, which the app never creates (only the file in it): the test can take it
        // away. Deleting the file under the running app raced the app's own background work, which made it again.
        var folder = Path.Combine(factory.RootDirectory, "database");
        Directory.CreateDirectory(folder);
        factory.WithSetting("ConnectionStrings:Default", new SqliteConnectionStringBuilder { DataSource = Path.Combine(folder, "kappractice.db") }.ToString());
        var client = factory.CreateClient();
        using (var ok = await client.GetAsync(new Uri("/healthz", UriKind.Relative)))
        {
            Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
            Assert.Contains("no-store", ok.Headers.CacheControl?.ToString(), StringComparison.Ordinal);
        }

        // The folder moved away (one rename) and a file put where it was: no connection can open the database, nor
        // create one, under a file. Then the pooled connections, still open on the moved file, are dropped.
        Directory.Move(folder, folder + "-moved");
        await File.WriteAllTextAsync(folder, "");
        SqliteConnection.ClearAllPools();

        var (status, body) = await GetHealthAsync(client);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, status);
        Assert.Equal(("Unhealthy", "unreachable"), (body.Status, body.Database));
    }

    private static async Task<(HttpStatusCode Status, (string Status, string Database, int Pending, int Failed) Body)> GetHealthAsync(HttpClient client)
    {
        using var response = await client.GetAsync(new Uri("/healthz", UriKind.Relative));
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var root = json.RootElement;
        var outbox = root.GetProperty("outbox");
        var counts = outbox.ValueKind == JsonValueKind.Object
            ? (outbox.GetProperty("pending").GetInt32(), outbox.GetProperty("failed").GetInt32())
            : (-1, -1);
        return (response.StatusCode, (root.GetProperty("status").GetString()!, root.GetProperty("database").GetString()!, counts.Item1, counts.Item2));
    }
}
