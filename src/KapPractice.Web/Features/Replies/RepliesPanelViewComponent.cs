using KapPractice.Web.Domain;
using KapPractice.Web.Infrastructure.Data;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace KapPractice.Web.Features.Replies;

/// <summary>
/// The inquiry page's reply composer and its timeline of replies and notes. It loads its own templates, referrals and
/// replies (the page's controller loads only the inquiry and its notes), so the page renders it without knowing what
/// it needs and no view queries the database. The draft to show again after a refused send comes from
/// <see cref="ReplyDraftViewData"/>, set by the action that refused it.
/// </summary>
public sealed class RepliesPanelViewComponent(KapDbContext db) : ViewComponent
{
    /// <summary>Given explicitly: view components look in Views/Shared/Components, which this project does not use.</summary>
    public const string ViewPath = "~/Features/Replies/Components/RepliesPanel/Default.cshtml";

    public async Task<IViewComponentResult> InvokeAsync(Inquiry inquiry)
    {
        ArgumentNullException.ThrowIfNull(inquiry);
        return View(ViewPath, await LoadAsync(inquiry, ViewData.GetReplyDraft(), HttpContext.RequestAborted));
    }

    private async Task<ReplyPanelModel> LoadAsync(Inquiry inquiry, ReplyDraft? draft, CancellationToken cancellationToken)
    {
        var templates = await db.ReplyTemplates.AsNoTracking().OrderBy(t => t.Name).ThenBy(t => t.Id).ToListAsync(cancellationToken);
        var referrals = await db.Referrals.AsNoTracking().OrderBy(r => r.Name).ThenBy(r => r.Id).ToListAsync(cancellationToken);
        var replies = await db.InquiryReplies.AsNoTracking().Include(r => r.OutboxMessages).Where(r => r.InquiryId == inquiry.Id).ToListAsync(cancellationToken);
        var timeline = inquiry.Notes.Select(n => new TimelineEntry(n.CreatedUtc, n.Author, n, null))
            .Concat(replies.Select(r => new TimelineEntry(r.SentUtc, r.Author, null, r)))
            .OrderByDescending(e => e.Utc).ToList();
        return new ReplyPanelModel(inquiry, draft ?? ReplyDraft.Empty, templates, referrals, timeline);
    }
}
