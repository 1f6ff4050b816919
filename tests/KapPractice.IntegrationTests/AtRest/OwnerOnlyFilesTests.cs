using KapPractice.IntegrationTests.Inquiries;
using KapPractice.Web.Infrastructure.Data;
using Microsoft.Extensions.DependencyInjection;
using Serilog.Core;

namespace KapPractice.IntegrationTests.AtRest;

/// <summary>Folders 0700 and files 0600 whatever the umask; a warning for a folder others can read.</summary>
[Collection(CapturedLogs.Name)]
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class OwnerOnlyFilesTests
{
    private const UnixFileMode Folder = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
    private const UnixFileMode File = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    [Fact]
    public async Task Under_a_0022_umask_the_data_key_pickup_and_backup_folders_are_0700_and_every_file_in_them_0600()
    {
        var previous = Umask.Set(0x12); // 0022
        try
        {
            await using var app = new AtRestFactory();
            await app.SubmitAsync(InquiryForms.Valid());
            await Eventually.TrueAsync(() => Task.FromResult(PickupFiles.Messages(app).Length == 2), what: "both emails in the pickup folder");
            using var output = new StringWriter();
            Assert.Equal(0, await DataCommands.BackupAsync(app.Services, Path.Combine(app.BackupDirectory, "by-hand.db"), output));

            var folders = new[] { app.DataDirectory, app.KeyDirectory, Path.Combine(app.DataDirectory, "mail-pickup"), Path.Combine(app.DataDirectory, "keys"), app.BackupDirectory };
            Assert.All(folders, folder => Assert.Equal((folder, Folder), (folder, AtRest.ModeOf(folder))));
            var files = folders.SelectMany(folder => Directory.GetFiles(folder)).ToList();
            Assert.Contains(app.DatabaseFile + "-wal", files);
            Assert.Contains(app.DatabaseFile + "-shm", files);
            Assert.Equal(2, files.Count(f => f.EndsWith(Web.Infrastructure.Email.MailPickupFolder.SealedExtension, StringComparison.Ordinal)));
            Assert.Contains(files, f => f.EndsWith(".xml", StringComparison.Ordinal));
            Assert.Contains(files, f => Path.GetFileName(f).StartsWith("data-key-", StringComparison.Ordinal));
            Assert.All(files, file => Assert.Equal((file, File), (file, AtRest.ModeOf(file))));
        }
        finally
        {
            Umask.Set(previous);
        }
    }

    [Fact]
    public async Task Start_up_warns_without_stopping_when_an_existing_data_folder_is_readable_by_others()
    {
        var logs = new LogCapture();
        await using var app = new AtRestFactory();
        app.WithServices(services => services.AddSingleton<ILogEventSink>(logs));
        Directory.CreateDirectory(app.DataDirectory);
        System.IO.File.SetUnixFileMode(app.DataDirectory, Folder | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);

        await app.SubmitAsync(InquiryForms.Valid());

        Assert.Contains(logs.Lines, line => line.Contains(app.DataDirectory, StringComparison.Ordinal) && line.Contains("can be read by other users", StringComparison.Ordinal));
    }
}
