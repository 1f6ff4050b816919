using KapPractice.Web.Domain;
using KapPractice.Web.Features.AdminShell;
using KapPractice.Web.Features.FollowUp;
using KapPractice.Web.Infrastructure.Data;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;

namespace KapPractice.Web.Features.InquiryReview;

/// <summary>The inquiries and the suspected-spam tab: filters, a search and pages.</summary>
[Authorize(Policy = AdminSetup.AdminPolicy)]
public sealed class InquiryListController(KapDbContext db, FollowUpRules followUp) : Controller
{
    /// <summary>The controller's name in routing, for links from other pages.</summary>
    public const string Name = "InquiryList";

    [HttpGet("/admin")]
    public Task<IActionResult> Index(InquiryStatus? status, ScreeningOutcome? outcome, string? q, int? page, bool overdue, CancellationToken cancellationToken) =>
        ListAsync(spam: false, status, outcome, q, page, cancellationToken, overdue);

    [HttpGet("/admin/spam")]
    public Task<IActionResult> Spam(InquiryStatus? status, ScreeningOutcome? outcome, string? q, int? page, CancellationToken cancellationToken) =>
        ListAsync(spam: true, status, outcome, q, page, cancellationToken);

    private async Task<IActionResult> ListAsync(bool spam, InquiryStatus? status, ScreeningOutcome? outcome, string? q, int? page, CancellationToken cancellationToken, bool overdue = false)
    {
        if (!ModelState.IsValid)
        {
            return BadRequest();
        }

        var filter = InquiryFilter.From(spam, status, outcome, q, page) with { OverdueBeforeUtc = overdue ? followUp.OverdueIfReceivedBeforeUtc() : null };
        var model = await db.LoadPageAsync(filter, cancellationToken);
        return View("Index", model);
    }
}
