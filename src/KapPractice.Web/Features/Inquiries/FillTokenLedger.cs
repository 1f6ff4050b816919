using KapPractice.Web.Infrastructure.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace KapPractice.Web.Features.Inquiries;

/// <summary>
/// Remembers every form load that was sent, in the database so a restart forgets nothing, until its
/// token passes Spam:MaximumFillTime (then the token is a spam signal by its age, and the row goes).
/// One load sent again is a spam signal: a person sends a form once, a script replays it.
/// </summary>
public sealed class FillTokenLedger(KapDbContext db, InquirySpamCheck spamCheck, IOptions<SpamOptions> options, TimeProvider time)
{
    public const string SentBeforeReason = "This load of the form was already sent once: its fill-time token came back again.";

    /// <summary>
    /// Records the load <paramref name="token"/> names; the reason when it was recorded before, otherwise null. Called
    /// by <see cref="InquiryIntake"/> inside its write gate and the transaction that saves the inquiry, so a save that
    /// fails leaves the load unused and the client's retry of the same page is not taken for a replay.
    /// </summary>
    public async Task<string?> ReasonIfSentBeforeAsync(string? token, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow().UtcDateTime;
        if (spamCheck.FormLoadOf(token) is not { Id: { } id } load || load.ShownAt.UtcDateTime + options.Value.MaximumFillTime is var expires && expires <= now)
        {
            // No load to remember (a missing, forged or too old token is a spam signal of its own).
            return null;
        }

        await db.UsedFillTokens.Where(t => t.ExpiresUtc <= now).ExecuteDeleteAsync(cancellationToken);
        // One statement, so two posts of the same load at once (to any instance) cannot both count as the first; SQLite and PostgreSQL both speak it.
        var recorded = await db.Database.ExecuteSqlAsync(
            $"INSERT INTO \"UsedFillTokens\" (\"Id\", \"ExpiresUtc\") VALUES ({id}, {expires}) ON CONFLICT DO NOTHING", cancellationToken);
        return recorded == 0 ? SentBeforeReason : null;
    }
}
