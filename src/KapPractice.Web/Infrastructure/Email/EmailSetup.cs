using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace KapPractice.Web.Infrastructure.Email;

public static class EmailSetup
{
    /// <summary>Email settings, the pickup folder and the transport: how a composed message leaves. The outbox decides when.</summary>
    public static WebApplicationBuilder AddEmail(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddOptions<EmailOptions>().BindConfiguration(EmailOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        // Checked at start-up with the other Practice options (SiteSetup validates them on start); links in emails depend on it.
        builder.Services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<PracticeOptions>, PracticeOptionsValidation>());
        builder.Services.AddSingleton<MailPickupFolder>();

        // Chosen when first resolved, so every configuration source (tests included) is seen.
        builder.Services.AddSingleton<IMailTransport>(services =>
            string.IsNullOrWhiteSpace(services.GetRequiredService<IOptions<EmailOptions>>().Value.Smtp.Host)
                ? ActivatorUtilities.CreateInstance<PickupFolderTransport>(services)
                : ActivatorUtilities.CreateInstance<MailKitTransport>(services));
        return builder;
    }
}
