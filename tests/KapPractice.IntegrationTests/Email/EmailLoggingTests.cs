using KapPractice.Web.Domain;

namespace KapPractice.IntegrationTests.Email;

/// <summary>Email log lines name outbox rows, never the client, the practice's address or an answer.</summary>
[Collection(CapturedLogs.Name)]
public sealed class EmailLoggingTests
{
    [Fact]
    public async Task Logs_name_outbox_rows_but_never_the_client()
    {
        await using var mail = await MailHarness.StartAsync();
        mail.Smtp.RefuseNext(1, 451, "4.2.0 <practice@kap.test> try later");

        var inquiry = await mail.Factory.SubmitAsync(ValidInquiry.With(i => { i.FullName = "Zelda Quixote"; i.Email = "zelda.q@client.test"; i.TreatmentsTried = [Treatment.Antidepressants]; i.Medications = [Medication.Lamotrigine]; }));
        await mail.Factory.WaitForRowAsync(inquiry.Id, OutboxKind.PractitionerNotification, r => r.Attempts == 1 && r.State == OutboxState.Pending);
        mail.Time.Advance(TimeSpan.FromMinutes(1));

        await mail.Factory.WaitForRowAsync(inquiry.Id, OutboxKind.PractitionerNotification, r => r.State == OutboxState.Sent);
        await mail.Factory.WaitForRowAsync(inquiry.Id, OutboxKind.ClientAcknowledgement, r => r.State == OutboxState.Sent);
        var lines = mail.Logs.Lines;
        Assert.Contains(lines, line => line.Contains("Outbox", StringComparison.Ordinal) && line.Contains("sent", StringComparison.Ordinal));
        foreach (var secret in new[] { "Zelda", "Quixote", "zelda.q@client.test", "practice@kap.test", "lamotrigine", "antidepressants" })
        {
            Assert.DoesNotContain(lines, line => line.Contains(secret, StringComparison.OrdinalIgnoreCase));
        }
    }
}
