namespace KapPractice.Web.Infrastructure;

/// <summary>
/// The first command-line argument is a verb (a command run instead of the site), a setting (<c>--urls=...</c>,
/// <c>/key value</c>, <c>Key=value</c>), or absent. Anything else is a verb this version does not have: a misspelt
/// one, or one from a newer README. Without this check the site would start with the word ignored.
/// </summary>
public static class CommandLine
{
    /// <summary>The exit code for a command line that could not be understood, as the verbs' own usage errors use.</summary>
    public const int UsageExitCode = 2;

    /// <summary>
    /// True when the first argument names no verb and is no setting; then the verbs are written to <paramref name="error"/>.
    /// </summary>
    public static bool IsUnknownVerb(IReadOnlyList<string> args, IReadOnlyCollection<string> verbs, TextWriter error)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(verbs);
        ArgumentNullException.ThrowIfNull(error);
        if (args.Count == 0 || IsSetting(args[0]) || verbs.Contains(args[0], StringComparer.Ordinal))
        {
            return false;
        }

        error.WriteLine($"Unknown command \"{args[0]}\". The commands are: {string.Join(", ", verbs)}.");
        error.WriteLine("Run with no command to start the site (settings may follow, e.g. --urls=http://127.0.0.1:5000). The commands: docs/operations.md.");
        return true;
    }

    /// <summary>The value of a verb's option, given as <c>--name VALUE</c> or <c>--name=VALUE</c> after the verb; null when absent.</summary>
    public static string? Option(IReadOnlyList<string> args, string name)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(name);
        for (var i = 1; i < args.Count; i++)
        {
            if (args[i] == name && i + 1 < args.Count)
            {
                return args[i + 1];
            }

            if (args[i].StartsWith(name + "=", StringComparison.Ordinal))
            {
                return args[i][(name.Length + 1)..];
            }
        }

        return null;
    }

    /// <summary>What ASP.NET Core's command-line configuration reads: <c>--key</c>, <c>-key</c>, <c>/key</c> (with a value after) or <c>key=value</c>.</summary>
    private static bool IsSetting(string arg) => arg.StartsWith('-') || arg.StartsWith('/') || arg.Contains('=', StringComparison.Ordinal);
}
