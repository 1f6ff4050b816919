using System.Diagnostics;

namespace KapPractice.IntegrationTests;

/// <summary>The published app's command line, run as a process: a word that names no command stops before anything starts.</summary>
public sealed class CommandLineTests : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "kappractice-tests", "command-line-" + Guid.NewGuid().ToString("N"));

    [Fact]
    public async Task An_unknown_verb_lists_the_verbs_on_standard_error_and_exits_2_without_starting_the_site_or_touching_the_data_folder()
    {
        var (exitCode, output, error) = await RunAppAsync("export-everything", "--to", Path.Combine(_root, "export"));

        Assert.Equal(2, exitCode);
        Assert.Contains("export-everything", error, StringComparison.Ordinal);
        foreach (var verb in new[] { "create-admin", "reset-two-factor", "backup", "restore", "rotate-key", "export-content", "import-content" })
        {
            Assert.Contains(verb, error, StringComparison.Ordinal);
        }

        Assert.DoesNotContain("Now listening", output, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Path.Combine(_root, "data")), "the data folder was made");
        Assert.False(Directory.Exists(Path.Combine(_root, "keys")), "a key was made");
        Assert.False(Directory.Exists(Path.Combine(_root, "export")));
    }

    /// <summary>Runs the app's own dll (beside the tests) in a folder of its own; a process still running after a minute started the site and is stopped.</summary>
    private async Task<(int? ExitCode, string Output, string Error)> RunAppAsync(params string[] args)
    {
        Directory.CreateDirectory(_root);
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = _root,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(typeof(Program).Assembly.Location);
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        start.Environment["ASPNETCORE_URLS"] = "http://127.0.0.1:0";
        start.Environment["Data__Directory"] = Path.Combine(_root, "data");
        start.Environment["Encryption__KeyDirectory"] = Path.Combine(_root, "keys");
        start.Environment["Backup__Directory"] = Path.Combine(_root, "backups");
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var bound = new CancellationTokenSource(TimeSpan.FromMinutes(1));
        try
        {
            await process.WaitForExitAsync(bound.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
            return (null, await output, await error);
        }

        return (process.ExitCode, await output, await error);
    }

    public void Dispose()
    {
        if (Directory.Exists(_root))
        {
            Directory.Delete(_root, recursive: true);
        }
    }
}
