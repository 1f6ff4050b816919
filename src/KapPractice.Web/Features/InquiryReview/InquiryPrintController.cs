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

/// <summary>One inquiry as a printed summary, with the moment it was printed.</summary>
public sealed record InquirySummary(Inquiry Inquiry, IReadOnlyList<AnswerGroup> Answers, DateTime PrintedUtc);

/// <summary>A summary of one inquiry for the prescriber: every answer, the screening and the consents, on paper.</summary>
[Authorize(Policy = AdminSetup.AdminPolicy)]
public sealed class InquiryPrintController(KapDbContext db, AuditLog audit, TimeProvider time, PracticeClock clock) : Controller
{
    // Suspected spam prints too (marked as such): a real person's inquiry can be filed there, and she
    // should not have to move it out of the spam tab, changing its record, only to hand it on.
    [HttpGet("/admin/inquiries/{id:int}/print")]
    [UnitOfWork]
    public async Task<IActionResult> Print(int id, CancellationToken cancellationToken)
    {
        var inquiry = await db.Inquiries.FirstOrDefaultAsync(i => i.Id == id, cancellationToken);
        if (inquiry is null)
        {
            return NotFound();
        }

        var now = time.GetUtcNow().UtcDateTime;
        inquiry.MarkViewed(now);
        audit.Add(User.AuditName(), AuditActions.Printed, id, inquiry.IsSuspectedSpam ? "suspected spam" : null);
        return View("PrintInquiry", new InquirySummary(inquiry, AnswerSheet.For(inquiry, clock.Format), now));
    }
}
