using Serilog.Core;
using Serilog.Events;

namespace KapPractice.Web.Infrastructure.Logging;

/// <summary>
/// Addresses whose last part is a bearer secret: a client's booking link (it can move or cancel her call) and
/// the practitioner's calendar feed. The request log writes them with that part replaced, so a copy of the
/// logs opens nothing; docs/deployment.md asks for the same in a proxy's access log.
/// </summary>
public static class SecretPaths
{
    /// <summary>Everything after this prefix is a signed token or a feed secret.</summary>
    public const string Booking = "/booking/";

    public const string Redacted = "(redacted)";

    /// <summary>
    /// The path as it may be logged: a secret-bearing path becomes what comes before its booking segment, the prefix
    /// and <see cref="Redacted"/>. The check reads the path as a server might: percent-escapes decoded (an escaped
    /// slash too, repeatedly), backslashes as slashes, runs of slashes as one, dot segments resolved, any case; so
    /// <c>//booking/...</c>, <c>/booking%2F...</c> and <c>/Booking/.../</c> are caught like <c>/booking/...</c>, while
    /// the admin pages under <c>/admin/booking/</c> carry no secret and are logged as they are.
    /// </summary>
    public static string ForLog(string? path)
    {
        if (string.IsNullOrEmpty(path))
        {
            return path ?? string.Empty;
        }

        // Most paths never mention booking in any spelling: skip the normalising for them.
        if (path.IndexOf("ooking", StringComparison.OrdinalIgnoreCase) < 0 && !path.Contains('%', StringComparison.Ordinal))
        {
            return path;
        }

        return Normalize(path).StartsWith(Booking, StringComparison.OrdinalIgnoreCase) ? Booking + Redacted : path;
    }

    private static string Normalize(string path)
    {
        var decoded = path;
        // %252F is %2F once decoded, and a slash the second time: decode until nothing changes (a few rounds at most).
        for (var i = 0; i < 4; i++)
        {
            var next = Uri.UnescapeDataString(decoded);
            if (next == decoded)
            {
                break;
            }

            decoded = next;
        }

        var segments = new List<string>();
        foreach (var segment in decoded.Replace('\\', '/').Split('/', StringSplitOptions.RemoveEmptyEntries))
        {
            if (segment == "..")
            {
                if (segments.Count > 0)
                {
                    segments.RemoveAt(segments.Count - 1);
                }
            }
            else if (segment != ".")
            {
                segments.Add(segment);
            }
        }

        // No trailing slash: "/booking" alone carries no secret, "/booking/x" does.
        return "/" + string.Join('/', segments);
    }
}

/// <summary>
/// ASP.NET Core puts the request's path on every event logged during the request (its "RequestPath" scope),
/// not only on the request line, and its own request events carry it as "Path": this redacts a secret-bearing
/// path in any text property of any event (<see cref="SecretPaths.ForLog"/>), whatever the property is called.
/// </summary>
public sealed class SecretPathRedaction : ILogEventEnricher
{
    public const string Property = "RequestPath";

    public void Enrich(LogEvent logEvent, ILogEventPropertyFactory propertyFactory)
    {
        ArgumentNullException.ThrowIfNull(logEvent);
        List<LogEventProperty>? redacted = null;
        foreach (var (name, value) in logEvent.Properties)
        {
            if (value is ScalarValue { Value: string text } && SecretPaths.ForLog(text) is var logged && !string.Equals(logged, text, StringComparison.Ordinal))
            {
                (redacted ??= []).Add(new LogEventProperty(name, new ScalarValue(logged)));
            }
        }

        foreach (var property in redacted ?? [])
        {
            logEvent.AddOrUpdateProperty(property);
        }
    }
}
