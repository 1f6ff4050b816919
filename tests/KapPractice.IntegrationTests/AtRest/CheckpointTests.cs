using KapPractice.IntegrationTests.Inquiries;
using KapPractice.Web.Infrastructure.Data;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Serilog.Core;
using Serilog.Events;

namespace KapPractice.IntegrationTests.AtRest;

/// <summary>
/// The checkpoint that empties the WAL after a deletion cannot finish while another connection reads an older
/// snapshot; SQLite then answers busy in a row instead of failing. That answer is retried, then logged.
/// </summary>
[Collection(CapturedLogs.Name)]
public sealed class CheckpointTests
{
    [Fact]
    public async Task A_checkpoint_a_reader_keeps_busy_is_retried_then_logged_and_once_the_reader_is_done_the_wal_is_emptied()
    {
        var logs = new LogCapture();
        await using var app = new AtRestFactory();
        app.WithServices(services => services.AddSingleton<ILogEventSink>(logs));
        await app.SubmitAsync(InquiryForms.Valid(name: "First Client", email: "first@example.com"));

        // Another process reading the database (a copy being made, sqlite3 open on the file), in the middle of a read transaction.
        await using (var reader = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = app.DatabaseFile, Pooling = false }.ToString()))
        {
            await reader.OpenAsync();
            // Deferred: a plain BEGIN, so it reads and holds its snapshot without taking the write lock.
            await using var transaction = reader.BeginTransaction(deferred: true);
            await using (var read = reader.CreateCommand())
            {
                read.CommandText = "SELECT count(*) FROM \"Inquiries\";";
                Assert.Equal(1L, await read.ExecuteScalarAsync());
            }

            await app.SubmitAsync(InquiryForms.Valid(name: "Second Client", email: "second@example.com"));

            await CheckpointAsync(app);

            var warning = Assert.Single(logs.Events, e => e.Level == LogEventLevel.Warning && e.MessageTemplate.Text.Contains("checkpoint", StringComparison.OrdinalIgnoreCase));
            Assert.Equal("3", warning.Properties["Tries"].ToString());
            Assert.True(new FileInfo(app.DatabaseFile + "-wal").Length > 0, "the WAL was emptied under a reader");
        }

        // Polled: a background write (the dispatcher marking an email sent) may land just after a checkpoint.
        await Eventually.TrueAsync(async () =>
        {
            await CheckpointAsync(app);
            return new FileInfo(app.DatabaseFile + "-wal").Length == 0;
        }, what: "a checkpoint to empty the WAL once the reader is done");
        Assert.Single(logs.Events, e => e.Level == LogEventLevel.Warning && e.MessageTemplate.Text.Contains("checkpoint", StringComparison.OrdinalIgnoreCase));
    }

    private static async Task CheckpointAsync(AtRestFactory app)
    {
        await using var scope = app.Services.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<KapDbContext>().Database.CheckpointAsync();
    }
}
