using KapPractice.Web.Infrastructure.Audit;
using System.Text;
using KapPractice.Web.Domain;
using KapPractice.Web.Infrastructure.Data;
using KapPractice.Web.Infrastructure.Email;
using KapPractice.Web.Infrastructure.Outbox;
using Microsoft.EntityFrameworkCore;
using MimeKit;
using Microsoft.Extensions.DependencyInjection;
using Serilog.Core;

namespace KapPractice.IntegrationTests.Email;

/// <summary>
/// No SMTP host and the pickup folder allowed: every message is a file under the data folder, sealed with the data
/// key outside Development, opened by the app (the read-mail command).
/// </summary>
[Collection(CapturedLogs.Name)]
public sealed class PickupFolderTests
{
    [Fact]
    public async Task Without_an_smtp_host_each_message_is_written_sealed_the_app_opens_it_and_start_up_says_where()
    {
        var logs = new LogCapture();
        await using var factory = new KapPracticeFactory()
            .WithSetting("Practice:ContactEmail", "practice@kap.test")
            .WithSetting("Spam:MinimumFillTime", "00:00:00")
            .WithServices(services => services.AddSingleton<ILogEventSink>(logs));
        var pickup = PickupFiles.FolderOf(factory);

        var inquiry = await factory.SubmitAsync(ValidInquiry.With(i => { i.FullName = "Ana Example"; i.Email = "ana@client.test"; i.SelfHarmThoughts = YesNo.Yes; }));

        await Eventually.TrueAsync(() => Task.FromResult(PickupFiles.Messages(factory).Length == 2), what: "two messages in the pickup folder");
        var files = PickupFiles.Messages(factory);
        Assert.All(files, f => Assert.EndsWith(MailPickupFolder.SealedExtension, f, StringComparison.Ordinal));
        foreach (var file in files)
        {
            var raw = Encoding.Latin1.GetString(await File.ReadAllBytesAsync(file));
            Assert.DoesNotContain("Ana Example", raw, StringComparison.Ordinal);
            Assert.DoesNotContain("ana@client.test", raw, StringComparison.Ordinal);
            Assert.DoesNotContain("Subject", raw, StringComparison.Ordinal);
        }

        var messages = new List<MimeMessage>();
        foreach (var file in files)
        {
            messages.Add(await PickupFiles.OpenAsync(factory, file));
        }

        var notification = Assert.Single(messages, m => m.To.Mailboxes.Any(a => a.Address == "practice@kap.test"));
        Assert.StartsWith("URGENT:", notification.Subject, StringComparison.Ordinal);
        Assert.Contains("Ana Example", notification.TextBody, StringComparison.Ordinal);
        Assert.NotNull(notification.HtmlBody);
        Assert.Single(messages, m => m.To.Mailboxes.Any(a => a.Address == "ana@client.test"));
        Assert.Empty(Directory.GetFiles(pickup, "*" + MailPickupFolder.PartialSuffix));

        // The file is moved into place a moment before its row is marked sent.
        await Eventually.TrueAsync(async () => (await factory.OutboxAsync()).Where(r => r.InquiryId == inquiry.Id).All(r => r.State == OutboxState.Sent),
            what: "both outbox rows to be marked sent");
        var rows = await factory.OutboxAsync();
        Assert.All(rows, r => Assert.Single(PickupFiles.Of(factory, [r.Id])));
        Assert.Single(logs.Lines, line => line.Contains(pickup, StringComparison.Ordinal) && line.Contains("sealed with the data key", StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_notification_of_an_urgent_inquiry_and_of_a_likely_eligible_one_are_files_of_one_size()
    {
        await using var factory = new KapPracticeFactory()
            .WithSetting("Practice:ContactEmail", "practice@kap.test")
            .WithSetting("Email:SendClientAcknowledgement", "false")
            .WithSetting("Spam:MinimumFillTime", "00:00:00");

        var urgent = await factory.SubmitAsync(ValidInquiry.With(i => { i.FullName = "Ana Urgent"; i.Email = "ana@client.test"; i.SelfHarmThoughts = YesNo.Yes; i.PsychoticDisorder = YesNoNotSure.NotSure; i.Medications = [Medication.Lamotrigine, Medication.Opioids]; }));
        var eligible = await factory.SubmitAsync(ValidInquiry.With(i => { i.FullName = "Bo"; i.Email = "bo@client.test"; }));

        await Eventually.TrueAsync(() => Task.FromResult(PickupFiles.Messages(factory).Length == 2), what: "both notifications in the pickup folder");
        var rows = await factory.OutboxAsync();
        var urgentFile = Assert.Single(PickupFiles.Of(factory, [rows.Single(r => r.InquiryId == urgent.Id).Id]));
        var eligibleFile = Assert.Single(PickupFiles.Of(factory, [rows.Single(r => r.InquiryId == eligible.Id).Id]));
        var urgentMessage = await PickupFiles.OpenAsync(factory, urgentFile);
        var eligibleMessage = await PickupFiles.OpenAsync(factory, eligibleFile);

        Assert.StartsWith("URGENT:", urgentMessage.Subject, StringComparison.Ordinal);
        Assert.DoesNotContain("URGENT", eligibleMessage.Subject, StringComparison.Ordinal);
        Assert.Equal(new FileInfo(eligibleFile).Length, new FileInfo(urgentFile).Length);
    }

    [Fact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public async Task The_read_mail_command_writes_the_message_to_a_new_owner_only_file_and_is_audited()
    {
        await using var factory = new KapPracticeFactory()
            .WithSetting("Practice:ContactEmail", "practice@kap.test")
            .WithSetting("Spam:MinimumFillTime", "00:00:00");
        await factory.SubmitAsync(ValidInquiry.With(i => { i.FullName = "Bea Example"; i.Email = "bea@client.test"; }));
        await Eventually.TrueAsync(() => Task.FromResult(PickupFiles.Messages(factory).Length == 2), what: "two messages in the pickup folder");
        var file = PickupFiles.Messages(factory)[0];
        var to = Path.Combine(factory.RootDirectory, "read", "message.eml");
        Directory.CreateDirectory(Path.GetDirectoryName(to)!);
        using var output = new StringWriter();

        Assert.Equal(0, await MailCommands.ReadMailAsync(factory.Services, file, to, output));

        Assert.StartsWith($"Wrote the message in {Path.GetFileName(file)} to {to}", output.ToString(), StringComparison.Ordinal);
        Assert.Equal(await PickupFiles.ReadAsync(factory, file), await File.ReadAllBytesAsync(to));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(to));
        var message = await MimeMessage.LoadAsync(to);
        Assert.Contains(message.To.Mailboxes, a => a.Address is "practice@kap.test" or "bea@client.test");
        var audit = await factory.WithDbAsync(db => db.AuditEntries.Where(e => e.Action == AuditActions.MailRead).ToListAsync());
        Assert.Equal($"file: {Path.GetFileName(file)}", Assert.Single(audit).Detail);
        Assert.Equal(AuditLog.ReadMailActor, audit[0].Actor);

        using var again = new StringWriter();
        Assert.Equal(1, await MailCommands.ReadMailAsync(factory.Services, file, to, again));
        Assert.Contains("already exists", again.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_read_mail_command_without_its_options_shows_its_usage_and_with_a_missing_file_writes_nothing()
    {
        await using var factory = new KapPracticeFactory();
        var to = Path.Combine(factory.RootDirectory, "message.eml");
        using var usage = new StringWriter();
        using var missing = new StringWriter();

        Assert.Equal(2, await MailCommands.ReadMailAsync(factory.Services, null, to, usage));
        Assert.Equal(1, await MailCommands.ReadMailAsync(factory.Services, Path.Combine(PickupFiles.FolderOf(factory), "none.eml.sealed"), to, missing));

        Assert.StartsWith("Usage: read-mail --file PATH", usage.ToString(), StringComparison.Ordinal);
        Assert.Contains("cannot be read", missing.ToString(), StringComparison.Ordinal);
        Assert.False(File.Exists(to));
        Assert.False(await factory.WithDbAsync(db => db.AuditEntries.AnyAsync(e => e.Action == AuditActions.MailRead)));
    }

    [Fact]
    public async Task Plain_eml_files_an_earlier_version_left_are_sealed_at_start_up_and_still_open()
    {
        await using var factory = new KapPracticeFactory();
        var pickup = PickupFiles.FolderOf(factory);
        Directory.CreateDirectory(pickup);
        var earlier = new MimeMessage { Subject = "New inquiry #7" };
        earlier.From.Add(new MailboxAddress(null, "no-reply@kap.test"));
        earlier.To.Add(new MailboxAddress(null, "practice@kap.test"));
        earlier.Body = new TextPart("plain") { Text = "Name: Cal Earlier" };
        var clear = Path.Combine(pickup, "20261130T120000000Z-7.eml");
        await earlier.WriteToAsync(clear);
        var bytes = await File.ReadAllBytesAsync(clear);

        _ = factory.Services;

        Assert.False(File.Exists(clear), "the plain file is still there");
        var sealedFile = Path.Combine(pickup, "20261130T120000000Z-7" + MailPickupFolder.SealedExtension);
        Assert.DoesNotContain("Cal Earlier", Encoding.Latin1.GetString(await File.ReadAllBytesAsync(sealedFile)), StringComparison.Ordinal);
        Assert.Equal(bytes, await PickupFiles.ReadAsync(factory, sealedFile));
    }
}
