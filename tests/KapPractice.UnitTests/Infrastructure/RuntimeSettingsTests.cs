using System.Text.Json;

namespace KapPractice.UnitTests.Infrastructure;

/// <summary>The runtime settings the site's build writes beside it (docs/performance.md), read as the runtime reads them.</summary>
public sealed class RuntimeSettingsTests
{
    [Fact]
    public void The_site_runs_on_the_workstation_garbage_collector()
    {
        // Copied here from the web project's build: the file `dotnet KapPractice.Web.dll` starts with.
        var path = Path.Combine(AppContext.BaseDirectory, "KapPractice.Web.runtimeconfig.json");
        using var config = JsonDocument.Parse(File.ReadAllText(path));

        var properties = config.RootElement.GetProperty("runtimeOptions").GetProperty("configProperties");

        Assert.False(properties.GetProperty("System.GC.Server").GetBoolean());
    }

    [Fact]
    public void The_site_keeps_the_default_service_resolver_that_the_test_processes_turn_off()
    {
        // tests/Directory.Build.props switches the compiled resolvers off for the test processes only; the site keeps them.
        var path = Path.Combine(AppContext.BaseDirectory, "KapPractice.Web.runtimeconfig.json");
        using var config = JsonDocument.Parse(File.ReadAllText(path));

        var properties = config.RootElement.GetProperty("runtimeOptions").GetProperty("configProperties");

        Assert.False(properties.TryGetProperty("Microsoft.Extensions.DependencyInjection.DisableDynamicEngine", out _));
    }
}
