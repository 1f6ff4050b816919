using KapPractice.Web.Domain;
using KapPractice.Web.Features.AdminShell;
using KapPractice.Web.Features.InquiryReview;
using KapPractice.Web.Infrastructure;
using KapPractice.Web.Infrastructure.Audit;
using KapPractice.Web.Infrastructure.Data;
using Microsoft.AspNetCore.Mvc;

namespace KapPractice.Web.Features.Replies;

/// <summary>
/// What the reply controllers share: they act from the inquiry page, so they show that page again (with the
/// composer holding the draft) when they refuse something, and go back to its timeline when they are done.
/// </summary>
public abstract class ReplyControllerBase(KapDbContext db, AuditLog audit, PracticeClock clock) : Controller
{
    public const string InquiryView = "~/Features/InquiryReview/Inquiry.cshtml";

    protected KapDbContext Db { get; } = db;

    protected AuditLog Audit { get; } = audit;

    /// <summary>The inquiry page shown again after a refused send: it shows the whole inquiry, so it is audited like the inquiry page.</summary>
    protected async Task<ViewResult> ViewedPageAsync(Inquiry inquiry, ReplyDraft draft, int statusCode, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(inquiry);
        Audit.Add(User.AuditName(), AuditActions.Viewed, inquiry.Id);
        await Db.SaveChangesAsync(cancellationToken);
        return Page(inquiry, draft, statusCode);
    }

    /// <summary>The inquiry page with <paramref name="draft"/> in the composer (its panel reads it from the view data).</summary>
    protected ViewResult Page(Inquiry inquiry, ReplyDraft draft, int statusCode)
    {
        ArgumentNullException.ThrowIfNull(inquiry);
        ArgumentNullException.ThrowIfNull(draft);
        Response.StatusCode = statusCode;
        ViewData.SetReplyDraft(draft);
        return View(InquiryView, new InquiryPage(inquiry, AnswerSheet.For(inquiry, clock.Format), null));
    }

    /// <summary>Back to the inquiry page, at its timeline of replies and notes.</summary>
    protected RedirectResult TimelineRedirect(int id) => Redirect(Url.Action(nameof(InquiryController.Inquiry), InquiryController.Name, new { id }) + "#timeline");
}
