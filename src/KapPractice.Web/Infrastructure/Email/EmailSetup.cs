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
        builder.Services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<EmailOptions>, EmailOptionsValidation>());
        // Checked at start-up with the other Practice options (SiteSetup validates them on start); links in emails depend on it.
        builder.Services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<PracticeOptions>, PracticeOptionsValidation>());
        builder.Services.AddSingleton<MailPickupFolder>();
        // Before the dispatcher starts (AddOutbox comes later): plain files an earlier version left are sealed first.
        builder.Services.AddHostedService<PickupFolderSealing>();

        // Chosen when first resolved, so every configuration source (tests included) is seen.
        builder.Services.AddSingleton<IMailTransport>(services =>
            services.GetRequiredService<IOptions<EmailOptions>>().Value.UsesPickupFolder
                ? ActivatorUtilities.CreateInstance<PickupFolderTransport>(services)
                : ActivatorUtilities.CreateInstance<MailKitTransport>(services));
        return builder;
    }
}

/// <summary>At start-up, seals the plain .eml files an earlier version left in the pickup folder (outside Development).</summary>
public sealed class PickupFolderSealing(MailPickupFolder folder, ILogger<PickupFolderSealing> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var sealedFiles = await folder.SealClearFilesAsync(cancellationToken);
        if (sealedFiles > 0)
        {
            EmailLog.SealedClearPickupFiles(logger, sealedFiles);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
