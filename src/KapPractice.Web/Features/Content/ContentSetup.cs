using KapPractice.Web.Infrastructure;

namespace KapPractice.Web.Features.Content;

public static class ContentSetup
{
    /// <summary>
    /// Her pages and articles (docs/practitioner-guide.md): seeded once from the Markdown under Content/, served from a
    /// copy in memory that every instance keeps current, with its settings in docs/configuration.md.
    /// </summary>
    public static WebApplicationBuilder AddContent(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var directory = SeedDirectory(builder.Environment.ContentRootPath);
        var services = builder.Services;
        services.AddOptions<ContentOptions>().BindConfiguration(ContentOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<PublishedContent>();
        services.AddSingleton<IPublicCopy>(provider => provider.GetRequiredService<PublishedContent>());
        services.AddHostedService(provider => ActivatorUtilities.CreateInstance<ContentSeeder>(provider, directory));
        services.AddSingleton<ContentRefresher>();
        services.AddHostedService(provider => provider.GetRequiredService<ContentRefresher>());
        return builder;
    }

    /// <summary>The Markdown the site starts with: Content/ beside the project, or beside the binaries when published.</summary>
    public static string SeedDirectory(string contentRootPath)
    {
        var directory = Path.Combine(contentRootPath, "Content");
        return Directory.Exists(directory) ? directory : Path.Combine(AppContext.BaseDirectory, "Content");
    }
}
