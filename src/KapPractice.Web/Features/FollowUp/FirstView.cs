using KapPractice.Web.Domain;

namespace KapPractice.Web.Features.FollowUp;

/// <summary>What opening an inquiry for the first time means: it counts as seen, and a reminder that it "has not been opened" must not go.</summary>
public static class FirstView
{
    /// <summary>
    /// Sets FirstViewedUtc when unset, for the caller's SaveChanges. An urgent reminder still waiting to be sent reads it
    /// when it is composed and leaves out (or is dropped for) an inquiry opened meanwhile.
    /// </summary>
    public static void MarkViewed(this Inquiry inquiry, DateTime nowUtc)
    {
        ArgumentNullException.ThrowIfNull(inquiry);
        inquiry.FirstViewedUtc ??= nowUtc;
    }
}
