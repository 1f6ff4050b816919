using System.Text.Json;

namespace KapPractice.UnitTests.Infrastructure;

/// <summary>The runtime settings the site's build writes beside it (docs/performance.md), read as the runtime reads them.</summary>
public sealed class RuntimeSettingsTests
{
    [Fact]
    public void The_site_runs_on_the_workstation_garbage_collector()
    {
        Assert.False(SiteRuntimeProperties().GetProperty("System.GC.Server").GetBoolean());
    }

    [Fact]
    public void The_site_bounds_its_managed_heap_and_so_its_first_generation_whatever_cache_the_host_reports()
    {
        Assert.Equal(192L * 1024 * 1024, SiteRuntimeProperties().GetProperty("System.GC.HeapHardLimit").GetInt64());
    }

    [Fact]
    public void The_site_runs_without_the_JIT_profiling_tier()
    {
        Assert.False(SiteRuntimeProperties().GetProperty("System.Runtime.TieredPGO").GetBoolean());
    }

    [Fact]
    public void The_site_keeps_the_default_service_resolver_that_the_test_processes_turn_off()
    {
        // tests/Directory.Build.props switches the compiled resolvers off for the test processes only; the site keeps them.
        Assert.False(SiteRuntimeProperties().TryGetProperty("Microsoft.Extensions.DependencyInjection.DisableDynamicEngine", out _));
    }

    /// <summary>
    /// The configProperties of the web project's runtimeconfig.json, copied here from its build: the file
    /// `dotnet KapPractice.Web.dll` starts with.
    /// </summary>
    private static JsonElement SiteRuntimeProperties()
    {
        using var config = JsonDocument.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "KapPractice.Web.runtimeconfig.json")));
        return config.RootElement.GetProperty("runtimeOptions").GetProperty("configProperties").Clone();
    }
}
