namespace KapPractice.Web.Infrastructure.Data;

/// <summary>
/// A lock file in the data folder: the site and the commands hold it shared while they use the folder, a restore
/// holds it alone, so a restore never writes under a running site and a site never starts during a restore.
/// </summary>
public sealed class DataFolderLock(DataPaths paths) : IDisposable
{
    public const string FileName = "kappractice.lock";

    private FileStream? _held;

    public string Path => System.IO.Path.Combine(paths?.Root ?? throw new ArgumentNullException(nameof(paths)), FileName);

    /// <summary>Holds the folder for as long as this process runs; stops start-up while a restore holds it.</summary>
    public void AcquireShared()
    {
        if (_held is not null)
        {
            return;
        }

        OwnerOnlyFiles.EnsureFile(Path);
        try
        {
            // Read-only and shared: a shared lock (flock LOCK_SH on Unix) that only an exclusive opener conflicts with.
            _held = new FileStream(Path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        }
        catch (IOException)
        {
            throw new InvalidOperationException($"Data:Directory ({paths.Root}) is locked by a restore in progress: wait for it to finish.");
        }
    }

    /// <summary>Takes the folder for this process alone (for a restore), or null while anyone else uses it.</summary>
    public static FileStream? TryAcquireExclusive(string root)
    {
        var path = System.IO.Path.Combine(root, FileName);
        OwnerOnlyFiles.EnsureFile(path);
        try
        {
            return new FileStream(path, FileMode.Open, FileAccess.ReadWrite, FileShare.None);
        }
        catch (IOException)
        {
            return null;
        }
    }

    public void Dispose() => _held?.Dispose();
}
