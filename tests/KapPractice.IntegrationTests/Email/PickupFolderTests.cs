using KapPractice.Web.Domain;
using MimeKit;
using Microsoft.Extensions.DependencyInjection;
using Serilog.Core;

namespace KapPractice.IntegrationTests.Email;

/// <summary>The out-of-the-box default: no SMTP host, so every message is a readable .eml file under the data folder.</summary>
[Collection(CapturedLogs.Name)]
public sealed class PickupFolderTests
{
    [Fact]
    public async Task Without_an_smtp_host_each_message_is_written_as_a_readable_eml_file_and_startup_says_where()
    {
        var logs = new LogCapture();
        await using var factory = new KapPracticeFactory()
            .WithSetting("Practice:ContactEmail", "practice@kap.test")
            .WithSetting("Spam:MinimumFillTime", "00:00:00")
            .WithServices(services => services.AddSingleton<ILogEventSink>(logs));
        var pickup = Path.Combine(factory.DataDirectory, "mail-pickup");

        var inquiry = await factory.SubmitAsync(ValidInquiry.Form("FullName=Ana Example; Email=ana@client.test; SelfHarmThoughts=Yes"));

        await Eventually.TrueAsync(() => Task.FromResult(Directory.Exists(pickup) && Directory.GetFiles(pickup, "*.eml").Length == 2),
            what: "two .eml files in the pickup folder");
        var messages = new List<MimeMessage>();
        foreach (var file in Directory.GetFiles(pickup, "*.eml"))
        {
            messages.Add(await MimeMessage.LoadAsync(file));
        }

        var notification = Assert.Single(messages, m => m.To.Mailboxes.Any(a => a.Address == "practice@kap.test"));
        Assert.StartsWith("URGENT:", notification.Subject, StringComparison.Ordinal);
        Assert.Contains("Ana Example", notification.TextBody, StringComparison.Ordinal);
        Assert.NotNull(notification.HtmlBody);
        Assert.Single(messages, m => m.To.Mailboxes.Any(a => a.Address == "ana@client.test"));
        Assert.Empty(Directory.GetFiles(pickup, "*.tmp"));

        // The file is moved into place a moment before its row is marked sent.
        await Eventually.TrueAsync(async () => (await factory.OutboxAsync()).Where(r => r.InquiryId == inquiry.Id).All(r => r.State == OutboxState.Sent),
            what: "both outbox rows to be marked sent");
        var rows = await factory.OutboxAsync();
        Assert.All(rows, r => Assert.Contains(Directory.GetFiles(pickup), f => f.EndsWith($"-{r.Id}.eml", StringComparison.Ordinal)));
        Assert.Single(logs.Lines, line => line.Contains(pickup, StringComparison.Ordinal));
    }
}
