using KapPractice.Web.Infrastructure;
using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Text;
using KapPractice.IntegrationTests.Inquiries;
using KapPractice.Web.Infrastructure.Data;
using KapPractice.Web.Infrastructure.Data.Encryption;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting.Internal;

namespace KapPractice.IntegrationTests.AtRest;

/// <summary>The app for the at-rest tests: posts judged on content alone, and room for many sign-ins.</summary>
public sealed class AtRestFactory : KapPracticeFactory
{
    public AtRestFactory()
    {
        WithSetting("Spam:MinimumFillTime", "00:00:00");
        WithSetting("RateLimiting:InquiryPermitLimit", "100000");
        WithSetting("RateLimiting:InquiryFloodLimit", "100000");
        WithSetting("Admin:SignInPermitLimit", "1000");
    }

    /// <summary>An app on folders that outlive it (so a second app can start on them); the folders are the caller's to delete.</summary>
    public static AtRestFactory On(string dataDirectory, string keyDirectory)
    {
        var app = new AtRestFactory();
        app.WithSetting("Data:Directory", dataDirectory).WithSetting("Encryption:KeyDirectory", keyDirectory);
        return app;
    }
}

/// <summary>A temporary folder deleted at the end of a test.</summary>
public sealed class TempFolder : IDisposable
{
    public string Path { get; } = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "kappractice-tests", "at-rest-" + Guid.NewGuid().ToString("N"));

    public string Sub(string name) => System.IO.Path.Combine(Path, name);

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        try
        {
            if (Directory.Exists(Path))
            {
                Directory.Delete(Path, recursive: true);
            }
        }
        catch (IOException)
        {
            // A file still held by a late background write: the temp folder is cleaned by the OS.
        }
    }
}

internal static class AtRest
{
    /// <summary>A word no page, label or migration contains.</summary>
    public static string NewMarker() => "zqmark" + Guid.NewGuid().ToString("N")[..10];

    /// <summary>Posts the real form with these fields; returns the new inquiry's id (found by its address).</summary>
    public static async Task<int> SubmitAsync(this KapPracticeFactory app, List<KeyValuePair<string, string>> fields)
    {
        using var client = app.NewClient();
        using var response = await client.SubmitInquiryAsync(fields);
        InquiryForms.AssertRedirectedToConfirmation(response);
        var email = fields.Single(f => f.Key == "Email").Value;
        return (await app.InquiriesAsync()).Single(i => i.Email == email).Id;
    }

    /// <summary>The bytes of the database file and its WAL, read as another process would while the app runs.</summary>
    public static byte[] DatabaseBytes(string databaseFile) =>
        [.. ReadShared(databaseFile), .. ReadShared(databaseFile + "-wal")];

    /// <summary>
    /// Every file in every folder the site writes, as a thief copying them would get them: the data folder (the database,
    /// its WAL, the Data Protection keys and the mail pickup folder), the backup folder and the key folder.
    /// </summary>
    public static byte[] EverythingWritten(KapPracticeFactory app)
    {
        ArgumentNullException.ThrowIfNull(app);
        return [.. new[] { app.DataDirectory, app.BackupDirectory, app.KeyDirectory }.Where(Directory.Exists).SelectMany(folder => FolderBytes(folder))];
    }

    /// <summary>Every file under the folder (optionally leaving one subfolder out), read as raw bytes.</summary>
    public static byte[] FolderBytes(string folder, string? except = null) =>
        [.. Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories)
            .Where(f => except is null || !f.StartsWith(System.IO.Path.Combine(folder, except), StringComparison.Ordinal))
            .SelectMany(ReadShared)];

    public static bool Contains(byte[] haystack, ReadOnlySpan<byte> needle) => haystack.AsSpan().IndexOf(needle) >= 0;

    /// <summary>ASCII text, in any letter case.</summary>
    public static bool ContainsText(byte[] haystack, string text) =>
        Encoding.ASCII.GetString(haystack).Contains(text, StringComparison.OrdinalIgnoreCase);

    /// <summary>The first bytes of every value sealed with this key: the envelope version and the key id.</summary>
    public static byte[] EnvelopeHeader(string keyId)
    {
        var header = new byte[DataKeyRing.HeaderLength];
        header[0] = DataKeyRing.EnvelopeVersion;
        BinaryPrimitives.WriteUInt32BigEndian(header.AsSpan(1), Convert.ToUInt32(keyId, 16));
        return header;
    }

    /// <summary>The ids of the key files in a key folder.</summary>
    public static IReadOnlyList<string> KeyIds(string keyDirectory) =>
        [.. Directory.GetFiles(keyDirectory, "data-key-*.json").Select(f => System.IO.Path.GetFileNameWithoutExtension(f)["data-key-".Length..]).Order()];

    /// <summary>Raw column values, read with SQLite directly (a copy of the file is read this way).</summary>
    public static async Task<List<byte[]>> RawValuesAsync(string databaseFile, string sql)
    {
        await using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = databaseFile, Mode = SqliteOpenMode.ReadOnly, Pooling = false }.ToString());
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        var values = new List<byte[]>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            for (var i = 0; i < reader.FieldCount; i++)
            {
                if (!reader.IsDBNull(i))
                {
                    values.Add((byte[])reader.GetValue(i));
                }
            }
        }

        return values;
    }

    /// <summary>The paths and key ring the restore command builds from these settings, before any host exists.</summary>
    public static (DataPaths Paths, DataKeyRing Ring) PathsFor(string dataDirectory, string keyDirectory)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Data:Directory"] = dataDirectory,
            ["Encryption:KeyDirectory"] = keyDirectory,
        }).Build();
        var environment = new HostingEnvironment { ContentRootPath = System.IO.Path.GetTempPath(), EnvironmentName = "Testing" };
        return (new DataPaths(configuration, environment), new DataKeyRing(configuration, environment));
    }

    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public static UnixFileMode ModeOf(string path) => File.GetUnixFileMode(path);

    private static byte[] ReadShared(string path)
    {
        if (!File.Exists(path))
        {
            return [];
        }

        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }
}

/// <summary>Sets the process umask (Unix), so the tests see what a typical 0022 leaves to the app.</summary>
internal static class Umask
{
    public static uint Set(uint mask) => NativeMethods.umask(mask);

    private static class NativeMethods
    {
        [DllImport("libc", EntryPoint = "umask")]
        [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
#pragma warning disable SYSLIB1054 // a test-only call that marshals nothing
        internal static extern uint umask(uint mask);
#pragma warning restore SYSLIB1054
    }
}
