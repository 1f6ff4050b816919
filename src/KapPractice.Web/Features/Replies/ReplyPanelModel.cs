using KapPractice.Web.Domain;
using Microsoft.AspNetCore.Mvc.ViewFeatures;

namespace KapPractice.Web.Features.Replies;

/// <summary>
/// What the composer shows: the fields (as typed, or filled from a template), the template and referrals chosen,
/// notes about the filling (a placeholder left out) and a problem with the whole reply (spam, a deleted template).
/// </summary>
public sealed record ReplyDraft(string? Subject, string? Body, int? TemplateId, IReadOnlyList<int> ReferralIds)
{
    public IReadOnlyList<string> Notes { get; init; } = [];
    public string? Problem { get; init; }

    public static ReplyDraft Empty { get; } = new(null, null, null, []);
}

/// <summary>One entry on the inquiry's timeline: a private note or a reply sent, with its latest delivery.</summary>
public sealed record TimelineEntry(DateTime Utc, string Author, InquiryNote? Note, InquiryReply? Reply)
{
    /// <summary>The reply's newest outbox row: its state is the reply's delivery state.</summary>
    public OutboxMessage? Delivery => Reply?.OutboxMessages.OrderBy(m => m.Id).LastOrDefault();
}

public sealed record ReplyPanelModel(
    Inquiry Inquiry,
    ReplyDraft Draft,
    IReadOnlyList<ReplyTemplate> Templates,
    IReadOnlyList<Referral> Referrals,
    IReadOnlyList<TimelineEntry> Timeline);

public static class ReplyDraftViewData
{
    private const string Key = "KapPractice.ReplyDraft";

    public static void SetReplyDraft(this ViewDataDictionary viewData, ReplyDraft draft)
    {
        ArgumentNullException.ThrowIfNull(viewData);
        viewData[Key] = draft;
    }

    public static ReplyDraft? GetReplyDraft(this ViewDataDictionary viewData)
    {
        ArgumentNullException.ThrowIfNull(viewData);
        return viewData[Key] as ReplyDraft;
    }
}
