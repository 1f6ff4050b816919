using KapPractice.Web.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Serilog.Core;
using Serilog.Events;

namespace KapPractice.IntegrationTests.Instances;

/// <summary>
/// The first start on a new database, on each provider: the start-up applies every migration, and logs no error at all and
/// no warning of EF Core's while it does. What this sees is what the app logs as it starts: in a test process EF Core builds
/// a model once per seat (<c>ModelKeyRingSeat</c>) and shares its internal services between apps, so a warning about the
/// model itself may have gone to an earlier app. deploy/smoke.sh (run by .ci/run) reads the whole logs of fresh processes
/// of the published site for those. The other PostgreSQL tests start on a copy of the test server's migrated template
/// (<see cref="PostgreSqlTestServer"/>), so this is where the start-up's own migration of a new PostgreSQL database is checked.
/// </summary>
[Collection(CapturedLogs.Name)]
public sealed class FirstStartTests
{
    [Fact]
    public async Task A_new_sqlite_file_is_made_and_migrated_at_the_first_start_without_an_error_or_an_ef_core_warning_and_the_site_answers()
    {
        var logs = new LogCapture();
        await using var app = new KapPracticeFactory().WithServices(services => services.AddSingleton<ILogEventSink>(logs));
        Assert.False(File.Exists(app.DatabaseFile));
        using var client = app.CreateClient();

        using var home = await client.GetAsync(new Uri("/", UriKind.Relative));

        Assert.Equal(System.Net.HttpStatusCode.OK, home.StatusCode);
        Assert.True(File.Exists(app.DatabaseFile));
        await AssertEveryMigrationAppliedAsync(app);
        AssertNoErrorOrEfCoreWarning(logs);
    }

    [Fact]
    public async Task An_empty_postgresql_database_is_migrated_at_the_first_start_without_an_error_or_an_ef_core_warning_and_the_site_answers()
    {
        var logs = new LogCapture();
        await using var app = new KapPracticeFactory { Provider = DatabaseProvider.PostgreSql }
            .WithServices(services => services.AddSingleton<ILogEventSink>(logs));
        // Made here, empty, before the app starts: the app finds it and does not copy the template.
        var connectionString = PostgreSqlTestServer.Shared.EnsureDatabase(PostgreSqlTestServer.DatabaseNameFor(app.DataDirectory), empty: true);
        Assert.Equal(0L, await CountTablesAsync(connectionString));
        using var client = app.CreateClient();

        using var home = await client.GetAsync(new Uri("/", UriKind.Relative));

        Assert.Equal(System.Net.HttpStatusCode.OK, home.StatusCode);
        Assert.True(await CountTablesAsync(connectionString) > 0);
        await AssertEveryMigrationAppliedAsync(app);
        AssertNoErrorOrEfCoreWarning(logs);
    }

    private static async Task AssertEveryMigrationAppliedAsync(KapPracticeFactory app)
    {
        var (applied, known) = await app.WithDbAsync(async db => (
            (await db.Database.GetAppliedMigrationsAsync()).ToList(),
            db.Database.GetMigrations().ToList()));
        Assert.NotEmpty(known);
        Assert.Equal(known, applied);
    }

    /// <summary>A first start logs warnings of its own (a key made, mail to the pickup folder); none may come from EF Core.</summary>
    private static void AssertNoErrorOrEfCoreWarning(LogCapture logs)
    {
        var errorsAndEfCoreWarnings = logs.Events
            .Where(e => e.Level >= LogEventLevel.Error
                || (e.Level == LogEventLevel.Warning && e.Properties.TryGetValue("SourceContext", out var source)
                    && source.ToString().Contains("Microsoft.EntityFrameworkCore", StringComparison.Ordinal)))
            .Select(e => e.RenderMessage(System.Globalization.CultureInfo.InvariantCulture));
        Assert.Empty(errorsAndEfCoreWarnings);
    }

    private static async Task<long> CountTablesAsync(string connectionString)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var count = new NpgsqlCommand("SELECT count(*) FROM information_schema.tables WHERE table_schema = 'public'", connection);
        return (long)(await count.ExecuteScalarAsync())!;
    }
}
