using KapPractice.Web.Domain;
using KapPractice.Web.Features.AdminShell;
using KapPractice.Web.Infrastructure.Data;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace KapPractice.Web.Features.AuditTrail;

public sealed record AuditPage(IReadOnlyList<AuditEntry> Entries, int Page, int TotalPages);

/// <summary>The audit trail: who did what in the admin area, and when, newest first, a page at a time.</summary>
[Authorize(Policy = AdminSetup.AdminPolicy)]
public sealed class AuditTrailController(KapDbContext db) : Controller
{
    /// <summary>The controller's name in routing, for links from other pages.</summary>
    public const string Name = "AuditTrail";
    public const int AuditPageSize = 50;

    [HttpGet("/admin/audit")]
    public async Task<IActionResult> Audit(int? page, CancellationToken cancellationToken)
    {
        var total = await db.AuditEntries.CountAsync(cancellationToken);
        var totalPages = Math.Max(1, (total + AuditPageSize - 1) / AuditPageSize);
        var current = Math.Clamp(page ?? 1, 1, totalPages);
        var entries = await db.AuditEntries.AsNoTracking()
            .OrderByDescending(e => e.OccurredUtc).ThenByDescending(e => e.Id)
            .Skip((current - 1) * AuditPageSize).Take(AuditPageSize)
            .ToListAsync(cancellationToken);
        return View(new AuditPage(entries, current, totalPages));
    }
}
