using KapPractice.Web.Features.AdminShell;
using KapPractice.Web.Features.Content;
using KapPractice.Web.Infrastructure.Data;

namespace KapPractice.Web.Features.ContentEditing;

public static class ContentChanges
{
    /// <summary>
    /// A change visitors can see: the content version goes up inside this unit of work, so every instance rebuilds its
    /// copy on its next look, and this one rebuilds right after the commit.
    /// </summary>
    public static async Task VisibleChangeAsync(this UnitOfWork work, KapDbContext db, PublishedContent published, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(work);
        ArgumentNullException.ThrowIfNull(published);
        await ContentPublishing.BumpVersionAsync(db, cancellationToken);
        work.AfterCommit(published.RefreshAfterChangeAsync);
    }
}
