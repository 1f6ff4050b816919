using KapPractice.Web.Infrastructure;
using KapPractice.Web.Infrastructure.Email;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting.Internal;
using Microsoft.Extensions.Logging.Abstractions;

namespace KapPractice.UnitTests.Infrastructure.Email;

public sealed class MailPickupFolderTests : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "kappractice-unit", Guid.NewGuid().ToString("N"));
    private readonly MailPickupFolder _folder;

    public MailPickupFolderTests()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection([new("Data:Directory", _root)]).Build();
        var paths = new DataPaths(configuration, new HostingEnvironment { ContentRootPath = _root });
        _folder = new MailPickupFolder(paths, NullLogger<MailPickupFolder>.Instance);
        Directory.CreateDirectory(_folder.Folder);
    }

    [Fact]
    public void Deletes_exactly_the_named_rows_copies_and_half_written_files()
    {
        var now = new DateTimeOffset(2026, 3, 2, 9, 0, 0, TimeSpan.Zero);
        string[] files =
        [
            _folder.PathFor(now, 5),
            _folder.PathFor(now.AddSeconds(1), 5),
            _folder.PathFor(now, 5) + ".tmp",
            _folder.PathFor(now, 15),
            _folder.PathFor(now, 55),
            _folder.PathFor(now, 6),
            Path.Combine(_folder.Folder, "notes-5.txt"),
        ];
        foreach (var file in files)
        {
            File.WriteAllText(file, "x");
        }

        var deleted = _folder.DeleteFor([5, 99]);

        Assert.Equal(3, deleted);
        Assert.Equal(files.Skip(3).Order(), Directory.GetFiles(_folder.Folder).Order());
    }

    [Fact]
    public void A_missing_folder_deletes_nothing_and_does_not_throw()
    {
        Directory.Delete(_folder.Folder);

        Assert.Equal(0, _folder.DeleteFor([1, 2]));
    }

    public void Dispose()
    {
        if (Directory.Exists(_root))
        {
            Directory.Delete(_root, recursive: true);
        }
    }
}
