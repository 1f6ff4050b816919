using Serilog.Core;
using Serilog.Events;

namespace KapPractice.Web.Infrastructure.Logging;

/// <summary>
/// Addresses whose last part is a bearer secret: a client's booking link (it can move or cancel her call) and
/// the practitioner's calendar feed. The request log writes them with that part replaced, so a copy of the
/// logs opens nothing; README "Booking" asks for the same in a proxy's access log.
/// </summary>
public static class SecretPaths
{
    /// <summary>Everything after this prefix is a signed token or a feed secret.</summary>
    public const string Booking = "/booking/";

    public const string Redacted = "(redacted)";

    /// <summary>The path as it may be logged: a secret-bearing path becomes its prefix and <see cref="Redacted"/>.</summary>
    public static string ForLog(string? path) =>
        path is not null && path.StartsWith(Booking, StringComparison.OrdinalIgnoreCase) ? Booking + Redacted : path ?? string.Empty;
}

/// <summary>
/// ASP.NET Core puts the request's path on every event logged during the request (its "RequestPath" scope),
/// not only on the request line: this redacts it there too.
/// </summary>
public sealed class SecretPathRedaction : ILogEventEnricher
{
    public const string Property = "RequestPath";

    public void Enrich(LogEvent logEvent, ILogEventPropertyFactory propertyFactory)
    {
        ArgumentNullException.ThrowIfNull(logEvent);
        if (logEvent.Properties.TryGetValue(Property, out var value) && value is ScalarValue { Value: string path }
            && SecretPaths.ForLog(path) is var logged && !string.Equals(logged, path, StringComparison.Ordinal))
        {
            logEvent.AddOrUpdateProperty(new LogEventProperty(Property, new ScalarValue(logged)));
        }
    }
}
