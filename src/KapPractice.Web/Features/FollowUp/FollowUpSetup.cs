using KapPractice.Web.Infrastructure.Outbox;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace KapPractice.Web.Features.FollowUp;

public static class FollowUpSetup
{
    /// <summary>The promised response time, the overdue mark, the daily digest and the urgent reminder (docs/practitioner-guide.md).</summary>
    public static WebApplicationBuilder AddFollowUp(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddOptions<FollowUpOptions>().BindConfiguration(FollowUpOptions.Section).ValidateOnStart();
        builder.Services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<FollowUpOptions>, FollowUpOptionsValidation>());
        builder.Services.AddSingleton<FollowUpRules>();
        builder.Services.AddScoped<FollowUpChecks>();
        builder.Services.AddSingleton<IOutboxComposer, FollowUpComposer>();
        builder.Services.AddHostedService<FollowUpService>();
        return builder;
    }
}
