namespace KapPractice.Web.Features.Content;

public static class ContentSetup
{
    /// <summary>Parses the Markdown under Content/ now, so a broken file stops start-up instead of a request.</summary>
    public static WebApplicationBuilder AddContent(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var directory = Path.Combine(builder.Environment.ContentRootPath, "Content");
        if (!Directory.Exists(directory))
        {
            // A published app run from another working directory still has its copy beside the binaries.
            directory = Path.Combine(AppContext.BaseDirectory, "Content");
        }

        builder.Services.AddSingleton(ContentLibrary.Load(directory));
        return builder;
    }
}
