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
        // Each inquiry is read, opened and written into the file in turn, so the tab's inquiries are never all in memory
        // beside the file (the managed heap has a ceiling: docs/deployment.md). The file itself is built before the
        // response starts, so the audit row is saved with it and a failure gives an error page, not a cut-off download.
        var csv = new MemoryStream();
        // The request's token reaches the query through the writer's enumeration: a download given up stops the read.
        var inquiries = filter.Apply(db.Inquiries.AsNoTracking()).AsAsyncEnumerable().Where(i => filter.Matches(i.FullName, i.Email, i.Outcome));
        var rows = await InquiryCsv.WriteAsync(inquiries, clock, csv, cancellationToken);
        csv.Position = 0;
        audit.Add(User.AuditName(), AuditActions.Exported, detail: $"rows: {rows}; {filter.AuditDescription()}");
        var stamp = time.GetUtcNow().UtcDateTime.ToString("yyyy-MM-dd-HHmm", System.Globalization.CultureInfo.InvariantCulture);
        return File(csv, "text/csv; charset=utf-8", $"inquiries-{stamp}.csv");
    }
}
