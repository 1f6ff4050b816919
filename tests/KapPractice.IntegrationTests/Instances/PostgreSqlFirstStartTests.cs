using KapPractice.Web.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Serilog.Core;
using Serilog.Events;

namespace KapPractice.IntegrationTests.Instances;

/// <summary>
/// The first start on an empty PostgreSQL database. The other PostgreSQL tests start on a copy of the test server's
/// migrated template (<see cref="PostgreSqlTestServer"/>), so this is where the start-up's own migration of a new database
/// is checked.
/// </summary>
public sealed class PostgreSqlFirstStartTests
{
    [Fact]
    public async Task An_empty_database_is_migrated_at_the_first_start_without_an_error_or_a_database_warning_and_the_site_answers()
    {
        var logs = new LogCapture();
        await using var app = new KapPracticeFactory { Provider = DatabaseProvider.PostgreSql, EmptyDatabase = true }
            .WithServices(services => services.AddSingleton<ILogEventSink>(logs));
        using var client = app.CreateClient();

        using var home = await client.GetAsync(new Uri("/", UriKind.Relative));

        Assert.Equal(System.Net.HttpStatusCode.OK, home.StatusCode);
        var (applied, known) = await app.WithDbAsync(async db => (
            (await db.Database.GetAppliedMigrationsAsync()).ToList(),
            db.Database.GetMigrations().ToList()));
        Assert.NotEmpty(known);
        Assert.Equal(known, applied);
        // The first start's own warnings (a key made, mail to the pickup folder) are expected; none from EF Core, no error.
        Assert.Empty(logs.Events
            .Where(e => e.Level >= LogEventLevel.Error
                || (e.Level == LogEventLevel.Warning && e.Properties.TryGetValue("SourceContext", out var source) && source.ToString().Contains("EntityFrameworkCore", StringComparison.Ordinal)))
            .Select(e => e.RenderMessage(System.Globalization.CultureInfo.InvariantCulture)));
    }
}
