namespace KapPractice.Web.Features.Retention;

public static class RetentionSetup
{
    /// <summary>The retention period's settings (docs/configuration.md) and the sweep that deletes what has outlived it, on a timer.</summary>
    public static WebApplicationBuilder AddRetention(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var services = builder.Services;
        services.AddOptions<RetentionOptions>().BindConfiguration(RetentionOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddScoped<RetentionSweeper>();
        services.AddHostedService<RetentionService>();
        return builder;
    }
}
