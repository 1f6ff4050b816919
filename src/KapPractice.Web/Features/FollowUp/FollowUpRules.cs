using KapPractice.Web.Domain;
using KapPractice.Web.Infrastructure;
using Microsoft.Extensions.Options;

namespace KapPractice.Web.Features.FollowUp;

/// <summary>The promised response time as pages say it, and which inquiries have waited past it.</summary>
public sealed class FollowUpRules(IOptions<FollowUpOptions> options, IOptions<PracticeOptions> practice, PracticeClock clock, TimeProvider time)
{
    public int BusinessDayCount => options.Value.RespondWithinBusinessDays;

    /// <summary>
    /// Urgent for the reminder and the digest: the outcome says so, or it cannot be read (a missing key, a changed
    /// value), since a missed urgent inquiry costs more than one reminder too many.
    /// </summary>
    public static bool MayBeUrgent(ScreeningOutcome outcome) => outcome == ScreeningOutcome.Urgent || UnreadableValue.IsUnreadable(outcome);

    /// <summary>"Leslie replies within 2 business days": the one sentence of the promise, without its full stop.</summary>
    public string Promise => $"{practice.Value.FirstName} replies within {Plural.Count(BusinessDayCount, "business day", "business days")}";

    public DateTime DeadlineUtc(DateTime receivedUtc) => BusinessDays.DeadlineUtc(receivedUtc, BusinessDayCount, clock);

    /// <summary>Inquiries received before this instant are past the promise now.</summary>
    public DateTime OverdueIfReceivedBeforeUtc() => OverdueIfReceivedBeforeUtc(time.GetUtcNow().UtcDateTime);

    public DateTime OverdueIfReceivedBeforeUtc(DateTime nowUtc) => BusinessDays.OverdueIfReceivedBeforeUtc(nowUtc, BusinessDayCount, clock);

    /// <summary>Still New, not suspected spam, and past its deadline.</summary>
    public bool IsOverdue(InquiryStatus status, bool suspectedSpam, DateTime receivedUtc) =>
        status == InquiryStatus.New && !suspectedSpam && time.GetUtcNow().UtcDateTime >= DeadlineUtc(receivedUtc);
}
