using System.Text;
using KapPractice.Web.Infrastructure;
using KapPractice.Web.Infrastructure.Email;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting.Internal;
using Microsoft.Extensions.Logging.Abstractions;
using MimeKit;

namespace KapPractice.UnitTests.Infrastructure.Email;

public sealed class MailPickupFolderTests : IDisposable
{
    private static readonly DateTimeOffset Now = new(2026, 3, 2, 9, 0, 0, TimeSpan.Zero);
    private readonly string _root = Path.Combine(Path.GetTempPath(), "kappractice-unit", Guid.NewGuid().ToString("N"));
    private readonly MailPickupFolder _folder;

    public MailPickupFolderTests()
    {
        _folder = FolderIn("Production");
        Directory.CreateDirectory(_folder.Folder);
    }

    [Fact]
    public void Deletes_exactly_the_named_rows_copies_sealed_plain_and_half_written()
    {
        var plain = FolderIn("Development");
        string[] files =
        [
            _folder.PathFor(Now, 5),
            _folder.PathFor(Now.AddSeconds(1), 5),
            _folder.PathFor(Now, 5) + ".tmp",
            plain.PathFor(Now, 5),
            plain.PathFor(Now, 5) + ".tmp",
            _folder.PathFor(Now, 15),
            _folder.PathFor(Now, 55),
            plain.PathFor(Now, 6),
            Path.Combine(_folder.Folder, "notes-5.txt"),
        ];
        foreach (var file in files)
        {
            File.WriteAllText(file, "x");
        }

        var deleted = _folder.DeleteFor([5, 99]);

        Assert.Equal(5, deleted);
        Assert.Equal(files.Skip(5).Order(), Directory.GetFiles(_folder.Folder).Order());
    }

    [Fact]
    public void A_missing_folder_deletes_nothing_and_does_not_throw()
    {
        Directory.Delete(_folder.Folder);

        Assert.Equal(0, _folder.DeleteFor([1, 2]));
    }

    [Theory]
    [InlineData("Production", ".eml.sealed", true)]
    [InlineData("Testing", ".eml.sealed", true)]
    [InlineData("Development", ".eml", false)]
    public async Task Outside_development_a_message_is_written_sealed_and_read_back_whole(string environment, string extension, bool sealedFile)
    {
        var folder = FolderIn(environment);
        var message = new MimeMessage { Subject = "New inquiry #12" };
        message.From.Add(new MailboxAddress(null, "no-reply@kap.test"));
        message.To.Add(new MailboxAddress(null, "practice@kap.test"));
        message.Body = new TextPart("plain") { Text = "Name: Dana Example" };

        var path = await folder.WriteAsync(new OutgoingMail(12, message), Now, CancellationToken.None);

        Assert.Equal($"20260302T090000000Z-12{extension}", Path.GetFileName(path));
        Assert.Equal(12, MailPickupFolder.OutboxIdOf(Path.GetFileName(path)));
        Assert.Equal(sealedFile, !Encoding.Latin1.GetString(await File.ReadAllBytesAsync(path)).Contains("Dana Example", StringComparison.Ordinal));
        using var read = new MemoryStream(await folder.ReadAsync(path));
        Assert.Equal("Name: Dana Example", (await MimeMessage.LoadAsync(read)).TextBody?.Trim());
        Assert.Empty(Directory.GetFiles(folder.Folder, "*.tmp"));
    }

    [Theory]
    [InlineData("20260302T090000000Z-7.eml", 7)]
    [InlineData("20260302T090000000Z-7.eml.sealed", 7)]
    [InlineData("20260302T090000000Z-7.eml.sealed.tmp", 7)]
    [InlineData("20260302T090000000Z-7.eml.tmp", 7)]
    [InlineData("20260302T090000000Z-7.txt", null)]
    [InlineData("notes.eml", null)]
    [InlineData("20260302T090000000Z-x7.eml", null)]
    public void The_outbox_id_is_read_from_every_name_the_folder_uses(string fileName, int? outboxId) =>
        Assert.Equal(outboxId, MailPickupFolder.OutboxIdOf(fileName));

    public void Dispose()
    {
        if (Directory.Exists(_root))
        {
            Directory.Delete(_root, recursive: true);
        }
    }

    private MailPickupFolder FolderIn(string environment)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection([new("Data:Directory", _root)]).Build();
        var host = new HostingEnvironment { ContentRootPath = _root, EnvironmentName = environment };
        return new MailPickupFolder(new DataPaths(configuration, host), host, new XorSeal(), NullLogger<MailPickupFolder>.Instance);
    }

    /// <summary>Stands in for the data key: enough to tell sealed bytes from the message.</summary>
    private sealed class XorSeal : IMailFileSeal
    {
        public byte[] Seal(ReadOnlySpan<byte> message) => [.. message.ToArray().Select(b => (byte)(b ^ 0x5A))];

        public byte[] Open(ReadOnlySpan<byte> sealedMessage) => Seal(sealedMessage);
    }
}
