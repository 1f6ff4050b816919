using KapPractice.Web.Domain;
using KapPractice.Web.Features.AdminShell;
using KapPractice.Web.Features.FollowUp;
using KapPractice.Web.Infrastructure.Audit;
using KapPractice.Web.Infrastructure;
using KapPractice.Web.Infrastructure.Data;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace KapPractice.Web.Features.InquiryReview;

/// <summary>The list as it is filtered, downloaded as a CSV file (InquiryCsv); every download is audited.</summary>
[Authorize(Policy = AdminSetup.AdminPolicy)]
public sealed class InquiryExportController(KapDbContext db, AuditLog audit, TimeProvider time, PracticeClock clock, FollowUpRules followUp) : Controller
{
    /// <summary>The controller's name in routing, for links from other pages.</summary>
    public const string Name = "InquiryExport";

    [HttpGet("/admin/export")]
    [UnitOfWork]
    public async Task<IActionResult> Export(InquiryStatus? status, ScreeningOutcome? outcome, string? q, bool spam, bool overdue, CancellationToken cancellationToken)
    {
        if (!ModelState.IsValid)
        {
            return BadRequest();
        }

        var overdueBefore = overdue && !spam ? followUp.OverdueIfReceivedBeforeUtc() : (DateTime?)null;
        var filter = InquiryFilter.From(spam, status, outcome, q, 1) with { OverdueBeforeUtc = overdueBefore };
        var inquiries = (await filter.Apply(db.Inquiries.AsNoTracking()).ToListAsync(cancellationToken))
            .Where(i => filter.Matches(i.FullName, i.Email, i.Outcome)).ToList();
        var csv = InquiryCsv.Write(inquiries, clock);
        audit.Add(User.AuditName(), AuditActions.Exported, detail: $"rows: {inquiries.Count}; {filter.AuditDescription()}");
        var stamp = time.GetUtcNow().UtcDateTime.ToString("yyyy-MM-dd-HHmm", System.Globalization.CultureInfo.InvariantCulture);
        return File(csv, "text/csv; charset=utf-8", $"inquiries-{stamp}.csv");
    }
}
