using System.Threading.RateLimiting;
using KapPractice.Web.Infrastructure.Security;
using Microsoft.Extensions.Options;

namespace KapPractice.Web.Features.Inquiries;

/// <summary>
/// The per-client limit on inquiries that are stored (README, "Configuration"): taken only once a submission has passed
/// validation, so a person correcting mistakes never uses up their allowance.
/// </summary>
public sealed class InquirySubmissionLimiter(IOptions<InquiryRateLimitOptions> options) : IDisposable
{
    private readonly PartitionedRateLimiter<string> _limiter = PartitionedRateLimiter.Create<string, string>(client =>
        SecuritySetup.FixedWindow(client, options.Value.InquiryPermitLimit, options.Value.InquiryWindow));

    /// <summary>Takes one permit for this client's address; false when the window's allowance is spent.</summary>
    public bool TryAcquire(HttpContext context)
    {
        // A fixed-window permit is spent once taken: disposing the lease does not give it back.
        using var lease = _limiter.AttemptAcquire(SecuritySetup.ClientKey(context));
        return lease.IsAcquired;
    }

    public void Dispose() => _limiter.Dispose();
}
