using KapPractice.Web.Domain;
using KapPractice.Web.Features.FollowUp;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace KapPractice.IntegrationTests.FollowUp;

/// <summary>
/// Times for the follow-up tests. MailHarness's clock starts on Monday 2 March 2026 at 09:00 UTC, which is 04:00 in
/// New York (EST, UTC-5; the clocks go forward on Sunday 8 March), so 09:00 New York is 14:00 UTC that week.
/// </summary>
internal static class FollowUpSupport
{
    public static readonly DateTimeOffset MondayNineNewYork = new(2026, 3, 2, 14, 0, 0, TimeSpan.Zero);

    public static void SetUtc(this MailHarness mail, DateTimeOffset utc) => mail.Time.SetUtcNow(utc);

    public static IReadOnlyList<ReceivedMail> Digests(this IEnumerable<ReceivedMail> received) =>
        [.. received.Where(m => m.Message.Subject is { } subject && subject.StartsWith(FollowUpEmails.DigestSubjectPrefix, StringComparison.Ordinal))];

    public static IReadOnlyList<ReceivedMail> Reminders(this IEnumerable<ReceivedMail> received, int inquiryId) =>
        [.. received.Reminders().Where(m => (m.Message.TextBody ?? "").Contains($"Urgent inquiry #{inquiryId} arrived", StringComparison.Ordinal))];

    /// <summary>Every urgent reminder (one may name several inquiries).</summary>
    public static IReadOnlyList<ReceivedMail> Reminders(this IEnumerable<ReceivedMail> received) =>
        [.. received.Where(m => m.Message.Subject is { } subject && subject.StartsWith("URGENT: ", StringComparison.Ordinal)
            && subject.EndsWith(" not been opened", StringComparison.Ordinal))];

    public static async Task<List<OutboxMessage>> RowsOfKindAsync(this KapPracticeFactory factory, OutboxKind kind) =>
        (await factory.OutboxAsync()).Where(m => m.Kind == kind).ToList();

    /// <summary>The follow-up checks the background service runs, run once more by the test (the product's own code).</summary>
    public static async Task<T> RunChecksAsync<T>(this KapPracticeFactory factory, Func<FollowUpChecks, Task<T>> check)
    {
        await using var scope = factory.Services.CreateAsyncScope();
        return await check(scope.ServiceProvider.GetRequiredService<FollowUpChecks>());
    }

    public static Task<Inquiry> StoredAsync(this KapPracticeFactory factory, int id) =>
        factory.WithDbAsync(db => db.Inquiries.AsNoTracking().SingleAsync(i => i.Id == id));
}
