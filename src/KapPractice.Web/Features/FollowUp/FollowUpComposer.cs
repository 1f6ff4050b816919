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

        // The row names no inquiry (a copy of the database must not tell which one was urgent): they are the ones the
        // check looked at in the instant it queued the row, read again now, so one opened since is left out.
        var looked = await db.Inquiries.AsNoTracking()
            .Where(i => i.ReminderCheckedUtc == row.CreatedUtc && i.FirstViewedUtc == null && !i.IsSuspectedSpam)
            .OrderBy(i => i.Id)
            .Select(i => new { i.Id, i.ReceivedUtc, i.Outcome })
            .ToListAsync(cancellationToken);
        var urgent = looked.Where(i => FollowUpRules.MayBeUrgent(i.Outcome)).Select(i => (i.Id, i.ReceivedUtc)).ToList();
        if (urgent.Count == 0)
        {
            throw new MessageNoLongerNeededException();
        }

        return FollowUpEmails.UrgentReminder(urgent, followUpOptions.Value.UrgentRemindAfter, row, emailOptions.Value, practiceOptions.Value, clock, now);
    }
}

public static class FollowUpQueries
{
    /// <summary>Inquiries waiting for a first answer: still New and not suspected spam.</summary>
    public static IQueryable<Inquiry> Waiting(this IQueryable<Inquiry> inquiries) =>
        inquiries.Where(i => i.Status == InquiryStatus.New && !i.IsSuspectedSpam);

    /// <summary>Counts only; the urgent ones by their outcome, which is sealed and so opened in memory.</summary>
    public static async Task<WaitingCounts> CountWaitingAsync(this KapDbContext db, DateTime overdueIfReceivedBeforeUtc, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        var waiting = await db.Inquiries.AsNoTracking().Waiting().Select(i => new { i.ReceivedUtc, i.Outcome }).ToListAsync(cancellationToken);
        return new WaitingCounts(
            waiting.Count,
            waiting.Count(i => i.ReceivedUtc < overdueIfReceivedBeforeUtc),
            waiting.Count(i => FollowUpRules.MayBeUrgent(i.Outcome)));
    }
}
