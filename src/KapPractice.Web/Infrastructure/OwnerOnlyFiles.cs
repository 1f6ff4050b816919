namespace KapPractice.Web.Infrastructure;

/// <summary>
/// Folders 0700 and files 0600, whatever the process umask: the data, key, pickup and backup folders
/// hold health information or the key to it. On Windows the modes do not apply and nothing changes.
/// </summary>
public static class OwnerOnlyFiles
{
    public const UnixFileMode FolderMode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
    public const UnixFileMode FileMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    private const UnixFileMode OthersMayRead = UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute;

    /// <summary>Creates the folder (and missing parents) owner-only; an existing folder is left as it is (see <see cref="IsOpenToOthers"/>).</summary>
    public static void CreateFolder(string path)
    {
        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(path);
            return;
        }

        if (Directory.Exists(path))
        {
            return;
        }

        Directory.CreateDirectory(path, FolderMode);
        // mkdir honours the umask, which may only take bits away; set it plainly all the same.
        File.SetUnixFileMode(path, FolderMode);
    }

    /// <summary>True when the folder exists and its group or others may read or enter it.</summary>
    public static bool IsOpenToOthers(string path) =>
        !OperatingSystem.IsWindows() && Directory.Exists(path) && (File.GetUnixFileMode(path) & OthersMayRead) != 0;

    /// <summary>
    /// Opens a new file for writing, created owner-only (an existing one is replaced and made owner-only; with
    /// <paramref name="onlyNew"/>, an existing file or link there is an <see cref="IOException"/> and nothing is opened).
    /// </summary>
    public static FileStream Create(string path, bool onlyNew = false)
    {
        var mode = onlyNew ? System.IO.FileMode.CreateNew : System.IO.FileMode.Create;
        if (OperatingSystem.IsWindows())
        {
            return new FileStream(path, mode, FileAccess.Write, FileShare.None);
        }

        var stream = new FileStream(path, new FileStreamOptions
        {
            Mode = mode,
            Access = FileAccess.Write,
            Share = FileShare.None,
            UnixCreateMode = FileMode,
        });
        File.SetUnixFileMode(stream.SafeFileHandle, FileMode);
        return stream;
    }

    /// <summary>Writes the whole file owner-only, through a temporary name, so no reader sees half of it.</summary>
    public static void WriteAllBytes(string path, ReadOnlySpan<byte> bytes)
    {
        var partial = path + ".tmp";
        using (var stream = Create(partial))
        {
            stream.Write(bytes);
            stream.Flush(flushToDisk: true);
        }

        File.Move(partial, path, overwrite: true);
    }

    /// <summary>Makes an existing file owner-only (a file another library created with the umask's mode).</summary>
    public static void Restrict(string path)
    {
        if (!OperatingSystem.IsWindows() && File.Exists(path))
        {
            File.SetUnixFileMode(path, FileMode);
        }
    }

    /// <summary>Creates an empty owner-only file if none exists, so a library that opens it later keeps that mode.</summary>
    public static void EnsureFile(string path)
    {
        if (File.Exists(path))
        {
            return;
        }

        try
        {
            using var stream = OperatingSystem.IsWindows()
                ? new FileStream(path, System.IO.FileMode.CreateNew, FileAccess.Write)
                : new FileStream(path, new FileStreamOptions { Mode = System.IO.FileMode.CreateNew, Access = FileAccess.Write, UnixCreateMode = FileMode });
        }
        catch (IOException) when (File.Exists(path))
        {
            // Created meanwhile by someone else: theirs stands.
        }
    }
}
