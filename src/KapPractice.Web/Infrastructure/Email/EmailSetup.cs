using KapPractice.Web.Infrastructure.Outbox;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace KapPractice.Web.Infrastructure.Email;

public static class EmailSetup
{
    public static WebApplicationBuilder AddEmail(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddOptions<EmailOptions>().BindConfiguration(EmailOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        // Checked at start-up with the other Practice options (SiteSetup validates them on start); links in emails depend on it.
        builder.Services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<PracticeOptions>, PracticeOptionsValidation>());
        builder.Services.AddSingleton<OutboxSignal>();
        builder.Services.AddSingleton<MailPickupFolder>();
        builder.Services.AddScoped<OutboxWriter>();

        // Chosen when first resolved, so every configuration source (tests included) is seen.
        builder.Services.AddSingleton<IMailTransport>(services =>
            string.IsNullOrWhiteSpace(services.GetRequiredService<IOptions<EmailOptions>>().Value.Smtp.Host)
                ? ActivatorUtilities.CreateInstance<PickupFolderTransport>(services)
                : ActivatorUtilities.CreateInstance<MailKitTransport>(services));
        builder.Services.AddSingleton<OutboxDispatcher>();
        builder.Services.AddHostedService(services => services.GetRequiredService<OutboxDispatcher>());

        builder.Services.AddHealthChecks().AddCheck<OutboxHealthCheck>(OutboxHealthCheck.Name);
        return builder;
    }
}
