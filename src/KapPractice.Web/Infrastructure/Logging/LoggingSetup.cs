using Serilog;

namespace KapPractice.Web.Infrastructure.Logging;

public static class LoggingSetup
{
    /// <summary>Serilog from configuration; any ILogEventSink registered in services (tests) also receives events.</summary>
    public static WebApplicationBuilder AddLogging(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddSerilog((services, logger) => logger
            .ReadFrom.Configuration(builder.Configuration)
            .ReadFrom.Services(services)
            .Enrich.FromLogContext());
        return builder;
    }

    /// <summary>One line per request: method, path without query string, status, time. Never a body.</summary>
    public static IApplicationBuilder UseRequestLogging(this IApplicationBuilder app) =>
        app.UseSerilogRequestLogging(options =>
            options.MessageTemplate = "HTTP {RequestMethod} {RequestPath} responded {StatusCode} in {Elapsed:0.0} ms");
}
