using Serilog;

namespace KapPractice.Web.Infrastructure.Logging;

public static class LoggingSetup
{
    /// <summary>
    /// Serilog from configuration; any ILogEventSink registered in services (tests) also receives events.
    /// Each host keeps its own logger rather than the static one, so hosts side by side never mix their logs.
    /// </summary>
    public static WebApplicationBuilder AddLogging(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddSerilog(
            (services, logger) => logger
                .ReadFrom.Configuration(builder.Configuration)
                .ReadFrom.Services(services)
                .Enrich.FromLogContext()
                .Enrich.With<SecretPathRedaction>(),
            preserveStaticLogger: true);
        return builder;
    }

    /// <summary>One line per request: method, path without query string (secrets in it redacted: <see cref="SecretPaths"/>), status, time. Never a body.</summary>
    public static IApplicationBuilder UseRequestLogging(this IApplicationBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        var hostLogger = app.ApplicationServices.GetRequiredService<Serilog.ILogger>();
        return app.UseSerilogRequestLogging(options =>
        {
            options.Logger = hostLogger;
            options.MessageTemplate = "HTTP {RequestMethod} {RequestPath} responded {StatusCode} in {Elapsed:0.0} ms";
        });
    }
}
