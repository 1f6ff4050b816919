namespace KapPractice.Web.Infrastructure.Outbox;

public static class OutboxSetup
{
    /// <summary>
    /// The outbox: rows written with their inquiry, the dispatcher that sends them, and the health check that counts them.
    /// Each feature registers the <see cref="IOutboxComposer"/> that writes its own emails.
    /// </summary>
    public static WebApplicationBuilder AddOutbox(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddSingleton<OutboxSignal>();
        // The pickup folder's files are sealed with the data key: here, where Email and Data meet.
        builder.Services.AddSingleton<Email.IMailFileSeal, DataKeyMailFileSeal>();
        builder.Services.AddScoped<OutboxWriter>();
        builder.Services.AddSingleton<OutboxDispatcher>();
        builder.Services.AddHostedService(services => services.GetRequiredService<OutboxDispatcher>());
        // A stop lets the send under way finish (OutboxDispatcher): the host waits longer than one send may take.
        builder.Services.AddOptions<HostOptions>().Configure<Microsoft.Extensions.Options.IOptions<Email.EmailOptions>>((host, email) =>
            host.ShutdownTimeout = TimeSpan.FromTicks(Math.Max(host.ShutdownTimeout.Ticks, (email.Value.Smtp.Timeout + TimeSpan.FromSeconds(5)).Ticks)));
        builder.Services.AddHealthChecks().AddCheck<OutboxHealthCheck>(OutboxHealthCheck.Name);
        return builder;
    }
}
