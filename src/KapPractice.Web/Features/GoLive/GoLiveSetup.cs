using KapPractice.Web.Infrastructure.Outbox;

namespace KapPractice.Web.Features.GoLive;

public static class GoLiveSetup
{
    /// <summary>The go-live checklist on the admin home, and the test email it sends (docs/practitioner-guide.md).</summary>
    public static WebApplicationBuilder AddGoLive(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddSingleton<IOutboxComposer, TestEmailComposer>();
        return builder;
    }
}
