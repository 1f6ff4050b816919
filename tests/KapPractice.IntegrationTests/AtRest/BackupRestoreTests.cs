using KapPractice.Web.Infrastructure.Audit;
using KapPractice.Web.Infrastructure;
using System.Net;
using System.Text.Json;
using KapPractice.IntegrationTests.Inquiries;
using KapPractice.Web.Infrastructure.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace KapPractice.IntegrationTests.AtRest;

/// <summary>backup → a fresh folder → restore → the site serves every inquiry; scheduled backups, pruned, audited and on /healthz.</summary>
public sealed class BackupRestoreTests
{
    [Fact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public async Task A_backup_restored_into_a_fresh_folder_serves_every_inquiry_and_holds_no_readable_answer_nor_the_key()
    {
        using var folders = new TempFolder();
        var marker = AtRest.NewMarker();
        var backup = folders.Sub("off-site/kappractice-backup.db");
        AdminAccount account;
        var names = new List<string>();
        await using (var original = AtRestFactory.On(folders.Sub("data"), folders.Sub("keys")))
        {
            for (var n = 0; n < 3; n++)
            {
                names.Add($"Client {n} {marker}");
                await original.SubmitAsync(InquiryForms.Valid(name: names[^1], email: $"client{n}.{marker}@example.com"));
            }

            account = await original.NewAdminAsync();
            using var output = new StringWriter();

            Assert.Equal(0, await DataCommands.BackupAsync(original.Services, backup, output));

            Assert.StartsWith($"Backed up to {backup}", output.ToString(), StringComparison.Ordinal);
            Assert.Contains(await original.WithDbAsync(db => db.AuditEntries.ToListAsync()), e => e.Action == AuditActions.BackupCreated && e.Actor == AuditLog.BackupCommandActor);
        }

        var bytes = await File.ReadAllBytesAsync(backup);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, AtRest.ModeOf(backup));
        Assert.False(AtRest.ContainsText(bytes, marker), "the backup holds a readable name or address");
        var keyFile = Directory.GetFiles(folders.Sub("keys")).Single();
        var key = JsonDocument.Parse(await File.ReadAllTextAsync(keyFile)).RootElement.GetProperty("key").GetString()!;
        Assert.False(AtRest.ContainsText(bytes, key), "the backup holds the key");
        Assert.False(AtRest.Contains(bytes, Convert.FromBase64String(key)), "the backup holds the key");

        var (paths, ring) = AtRest.PathsFor(folders.Sub("restored"), folders.Sub("keys"));
        using (var restoreOutput = new StringWriter())
        {
            Assert.Equal(0, await DatabaseBackup.RestoreAsync(paths, ring, backup, restoreOutput));
            Assert.StartsWith($"Restored 3 inquiries from {backup}", restoreOutput.ToString(), StringComparison.Ordinal);
        }

        await using var restored = AtRestFactory.On(folders.Sub("restored"), folders.Sub("keys"));
        var admin = restored.CreateHttpsClient();
        using (var signIn = await admin.SignInWithCodeAsync(account.Email, await account.Phone.NextCodeAsync()))
        {
            Assert.Equal(HttpStatusCode.Redirect, signIn.StatusCode);
        }

        var inquiries = await restored.InquiriesAsync();
        Assert.Equal(names, inquiries.Select(i => i.FullName));
        foreach (var inquiry in inquiries)
        {
            var page = await admin.GetStringAsync(new Uri($"/admin/inquiries/{inquiry.Id}", UriKind.Relative));
            Assert.Contains(WebUtility.HtmlEncode(inquiry.FullName), page, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Restore_refuses_a_folder_a_running_site_holds_a_non_empty_folder_and_a_backup_whose_key_is_missing()
    {
        using var folders = new TempFolder();
        var backup = folders.Sub("backup.db");
        await using var running = AtRestFactory.On(folders.Sub("data"), folders.Sub("keys"));
        await running.SubmitAsync(InquiryForms.Valid());
        using (var output = new StringWriter())
        {
            Assert.Equal(0, await DataCommands.BackupAsync(running.Services, backup, output));
        }

        var (runningPaths, ring) = AtRest.PathsFor(folders.Sub("data"), folders.Sub("keys"));
        var (code, message) = await RestoreAsync(runningPaths, ring, backup);
        Assert.Equal(1, code);
        Assert.StartsWith("The site (or a command) is running on Data:Directory", message, StringComparison.Ordinal);

        Directory.CreateDirectory(folders.Sub("not-empty"));
        await File.WriteAllTextAsync(folders.Sub("not-empty/notes.txt"), "something");
        var (fullPaths, _) = AtRest.PathsFor(folders.Sub("not-empty"), folders.Sub("keys"));
        (code, message) = await RestoreAsync(fullPaths, ring, backup);
        Assert.Equal(1, code);
        Assert.StartsWith($"Data:Directory ({fullPaths.Root}) is not empty", message, StringComparison.Ordinal);

        var (emptyPaths, noKeys) = AtRest.PathsFor(folders.Sub("empty"), folders.Sub("no-keys"));
        (code, message) = await RestoreAsync(emptyPaths, noKeys, backup);
        Assert.Equal(1, code);
        Assert.StartsWith("The backup was encrypted with key", message, StringComparison.Ordinal);
        Assert.Contains("Encryption:KeyDirectory", message, StringComparison.Ordinal);
        Assert.False(File.Exists(emptyPaths.DatabaseFile));
    }

    [Fact]
    public async Task Scheduled_backups_run_each_interval_keep_the_newest_and_are_audited_and_on_healthz()
    {
        var start = new DateTimeOffset(2027, 6, 1, 12, 0, 0, TimeSpan.Zero);
        var time = new FakeTimeProvider(start);
        await using var app = new AtRestFactory();
        app.WithSetting("Backup:Interval", "1.00:00:00").WithSetting("Backup:Keep", "2").WithServices(services => services.AddSingleton<TimeProvider>(time));
        await app.SubmitAsync(InquiryForms.Valid());
        await BackupsAsync(app, 1);

        var (status, backupAge) = await HealthAsync(app);
        Assert.Equal(("Healthy", "2027-06-01T12:00:00Z", 0), (status, backupAge.GetProperty("newestUtc").GetString(), backupAge.GetProperty("ageSeconds").GetInt64()));

        time.Advance(TimeSpan.FromDays(1));
        await BackupsAsync(app, 2);
        time.Advance(TimeSpan.FromDays(1));
        await Eventually.TrueAsync(async () => (await AuditedAsync(app)) == 3, what: "the third backup");

        Assert.Equal(["kappractice-20270603T120000Z.db", "kappractice-20270602T120000Z.db"], Directory.GetFiles(app.BackupDirectory).Select(Path.GetFileName).OrderDescending());
        time.Advance(TimeSpan.FromHours(5));
        var (later, age) = await HealthAsync(app);
        Assert.Equal(("Healthy", 5 * 3600L), (later, age.GetProperty("ageSeconds").GetInt64()));
    }

    [Fact]
    public async Task Healthz_turns_degraded_when_no_backup_has_succeeded_for_two_intervals_and_each_failure_is_audited()
    {
        using var folders = new TempFolder();
        Directory.CreateDirectory(folders.Path);
        var blocked = folders.Sub("a-file-not-a-folder");
        await File.WriteAllTextAsync(blocked, "");
        var time = new FakeTimeProvider(new DateTimeOffset(2027, 6, 1, 12, 0, 0, TimeSpan.Zero));
        await using var app = new AtRestFactory();
        app.WithSetting("Backup:Interval", "1.00:00:00").WithSetting("Backup:Directory", blocked).WithServices(services => services.AddSingleton<TimeProvider>(time));
        _ = app.Services;
        await Eventually.TrueAsync(async () => (await app.WithDbAsync(db => db.AuditEntries.CountAsync(e => e.Action == AuditActions.BackupFailed))) == 1, what: "the first backup to fail");
        Assert.Equal("Healthy", (await HealthAsync(app)).Status);

        time.Advance(TimeSpan.FromDays(2) + TimeSpan.FromMinutes(1));

        var (status, age) = await HealthAsync(app);
        Assert.Equal("Degraded", status);
        Assert.Equal(JsonValueKind.Null, age.GetProperty("newestUtc").ValueKind);
        Assert.True(await app.WithDbAsync(db => db.AuditEntries.CountAsync(e => e.Action == AuditActions.BackupFailed)) > 1);
    }

    [Fact]
    public void A_backup_interval_longer_than_a_timer_can_wait_stops_start_up_with_a_message_naming_the_key()
    {
        using var app = new AtRestFactory();
        app.WithSetting("Backup:Interval", "50.00:00:00");

        var error = Assert.Throws<OptionsValidationException>(() => app.Services);

        Assert.Contains("Backup:Interval must be from 00:00:00", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_longest_backup_interval_a_timer_can_wait_starts_and_takes_the_first_backup()
    {
        await using var app = new AtRestFactory();
        app.WithSetting("Backup:Interval", "49.17:02:47.294");

        await BackupsAsync(app, 1);

        Assert.Equal("Healthy", (await HealthAsync(app)).Status);
    }

    private static async Task<(int Code, string Output)> RestoreAsync(DataPaths paths, Web.Infrastructure.Data.Encryption.DataKeyRing ring, string backup)
    {
        using var output = new StringWriter();
        var code = await DatabaseBackup.RestoreAsync(paths, ring, backup, output);
        return (code, output.ToString());
    }

    private static Task<int> AuditedAsync(KapPracticeFactory app) =>
        app.WithDbAsync(db => db.AuditEntries.CountAsync(e => e.Action == AuditActions.BackupCreated && e.Actor == AuditLog.BackupActor));

    private static Task BackupsAsync(KapPracticeFactory app, int count) =>
        Eventually.TrueAsync(async () => await AuditedAsync(app) == count, what: $"backup number {count}");

    private static async Task<(string Status, JsonElement Backup)> HealthAsync(KapPracticeFactory app)
    {
        using var client = app.CreateClient();
        using var response = await client.GetAsync(new Uri("/healthz", UriKind.Relative));
        var root = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        return (root.GetProperty("status").GetString()!, root.GetProperty("backup").Clone());
    }
}
