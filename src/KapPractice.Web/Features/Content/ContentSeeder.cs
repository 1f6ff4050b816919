using KapPractice.Web.Domain;
using KapPractice.Web.Infrastructure.Data;
using Microsoft.EntityFrameworkCore;

namespace KapPractice.Web.Features.Content;

/// <summary>
/// At start-up: puts the Markdown files under Content/ into the database the first time only (a DataSeeds row
/// remembers it, so what she changed or deleted stays so), then builds the copy visitors are served before the site
/// listens. A file that cannot be read stops start-up, not a request.
/// </summary>
public sealed class ContentSeeder(IServiceScopeFactory scopes, PublishedContent published, TimeProvider time, ILogger<ContentSeeder> logger, string directory)
    : IHostedService
{
    public const string SeedName = "site-content";
    public const string SeedActor = "site set-up";

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await using (var scope = scopes.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<KapDbContext>();
            if (!await db.DataSeeds.AnyAsync(s => s.Name == SeedName, cancellationToken))
            {
                await SeedAsync(db, cancellationToken);
            }
        }

        await published.RefreshAsync(cancellationToken);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private async Task SeedAsync(KapDbContext db, CancellationToken cancellationToken)
    {
        var entries = ContentFolder.Read(directory);
        var now = time.GetUtcNow().UtcDateTime;
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        await ContentPublishing.LockChangesAsync(db, cancellationToken);
        // The seed's row first: a second instance starting at the same moment stops here on its key, before adding pages.
        db.DataSeeds.Add(new DataSeed { Name = SeedName, SeededUtc = now });
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException exception) when (exception.IsUniqueViolation())
        {
            db.ChangeTracker.Clear();
            return;
        }

        await ContentFolder.ApplyAsync(db, entries, SeedActor, "from the site's first content", now, cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        logger.ContentSeeded(entries.Count);
    }
}
