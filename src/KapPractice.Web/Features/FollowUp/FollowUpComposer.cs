using KapPractice.Web.Domain;
using KapPractice.Web.Infrastructure;
using KapPractice.Web.Infrastructure.Data;
using KapPractice.Web.Infrastructure.Email;
using KapPractice.Web.Infrastructure.Outbox;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using MimeKit;

namespace KapPractice.Web.Features.FollowUp;

/// <summary>Composes the digest (counted when it is sent, so a retry hours later tells the state of then) and the urgent reminder.</summary>
public sealed class FollowUpComposer(
    IOptions<EmailOptions> emailOptions,
    IOptions<PracticeOptions> practiceOptions,
    IOptions<FollowUpOptions> followUpOptions,
    FollowUpRules rules,
    PracticeClock clock) : IOutboxComposer
{
    public bool Composes(OutboxKind kind) => kind is OutboxKind.PractitionerDigest or OutboxKind.UrgentReminder;

    public async Task<MimeMessage> ComposeAsync(KapDbContext db, OutboxMessage row, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(row);
        if (row.Kind == OutboxKind.PractitionerDigest)
        {
            var counts = await db.CountWaitingAsync(rules.OverdueIfReceivedBeforeUtc(now.UtcDateTime), cancellationToken);
            return FollowUpEmails.Digest(counts, rules.BusinessDayCount, row, emailOptions.Value, practiceOptions.Value, clock, now);
        }

        var inquiryId = row.InquiryId ?? throw new InvalidOperationException($"Outbox row {row.Id} has no inquiry.");
        var received = await db.Inquiries.Where(i => i.Id == inquiryId).Select(i => i.ReceivedUtc).SingleAsync(cancellationToken);
        return FollowUpEmails.UrgentReminder(inquiryId, received, followUpOptions.Value.UrgentRemindAfter, row, emailOptions.Value, practiceOptions.Value, clock, now);
    }
}

public static class FollowUpQueries
{
    /// <summary>Inquiries waiting for a first answer: still New and not suspected spam.</summary>
    public static IQueryable<Inquiry> Waiting(this IQueryable<Inquiry> inquiries) =>
        inquiries.Where(i => i.Status == InquiryStatus.New && !i.IsSuspectedSpam);

    /// <summary>Counts only, from clear columns: nothing is decrypted.</summary>
    public static async Task<WaitingCounts> CountWaitingAsync(this KapDbContext db, DateTime overdueIfReceivedBeforeUtc, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        var waiting = db.Inquiries.AsNoTracking().Waiting();
        return new WaitingCounts(
            await waiting.CountAsync(cancellationToken),
            await waiting.CountAsync(i => i.ReceivedUtc < overdueIfReceivedBeforeUtc, cancellationToken),
            await waiting.CountAsync(i => i.Outcome == ScreeningOutcome.Urgent, cancellationToken));
    }
}
