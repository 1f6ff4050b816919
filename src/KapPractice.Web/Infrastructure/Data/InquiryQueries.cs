using KapPractice.Web.Domain;
using Microsoft.EntityFrameworkCore;

namespace KapPractice.Web.Infrastructure.Data;

public static class InquiryQueries
{
    /// <summary>
    /// An inquiry as the admin page shows it, with its notes (newest first) and its emails (oldest first); the page,
    /// its replies and its status changes all load it this way.
    /// </summary>
    public static Task<Inquiry?> LoadInquiryForAdminAsync(this KapDbContext db, int id, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        return db.Inquiries
            .Include(i => i.Notes.OrderByDescending(n => n.CreatedUtc))
            .Include(i => i.OutboxMessages.OrderBy(m => m.Id))
            .AsSplitQuery()
            .FirstOrDefaultAsync(i => i.Id == id, cancellationToken);
    }
}
