using KapPractice.Web.Domain;
using KapPractice.Web.Infrastructure;
using Microsoft.Extensions.Options;

namespace KapPractice.Web.Features.FollowUp;

/// <summary>The promised response time as pages say it, and which inquiries have waited past it.</summary>
public sealed class FollowUpRules(IOptions<FollowUpOptions> options, IOptions<PracticeOptions> practice, PracticeClock clock, TimeProvider time)
{
    public int BusinessDayCount => options.Value.RespondWithinBusinessDays;

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
