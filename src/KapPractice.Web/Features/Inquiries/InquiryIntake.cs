using KapPractice.Web.Domain;
using KapPractice.Web.Infrastructure.Data;
using KapPractice.Web.Infrastructure.Outbox;

namespace KapPractice.Web.Features.Inquiries;

/// <summary>
/// The one way an inquiry is stored: screened, checked for spam, then, one writer at a time and in one
/// transaction, admitted (the submission limiter's permit, for a form post), its form load recorded and the inquiry
/// saved with the emails it needs, and the dispatcher nudged so they leave at once. The form post and every test that
/// needs a stored inquiry come through here.
/// </summary>
public sealed partial class InquiryIntake(
    KapDbContext db,
    InquirySpamCheck spamCheck,
    FillTokenLedger fillTokens,
    InquiryWriteGate writeGate,
    OutboxWriter outboxWriter,
    OutboxSignal outboxSignal,
    TimeProvider time,
    ILogger<InquiryIntake> logger)
{
    /// <summary>The section (across instances) every store holds for its whole transaction.</summary>
    internal const string Section = nameof(InquiryIntake);

    /// <summary>Stores as <see cref="TryStoreAsync"/> does, admitting every inquiry: for the tests and the tools that store one.</summary>
    public async Task<Inquiry> StoreAsync(InquiryForm form) =>
        await TryStoreAsync(form, admit: null) ?? throw new System.Diagnostics.UnreachableException("An intake with no admission check refused an inquiry.");

    /// <summary>
    /// Stores a normalized form that passed <see cref="InquiryFormValidator"/>, or returns null, storing nothing, when
    /// <paramref name="admit"/> says no. Takes no cancellation: once validated, the inquiry is stored even if the
    /// visitor's connection drops, also while it waits for its turn. <paramref name="admit"/> runs first inside the
    /// store's transaction and section, on this request's own <see cref="KapDbContext"/>: it may read, add to the context and
    /// write directly (all rolled back when it says no), never save, commit or enter the write gate (a caller already
    /// inside it would wait for itself).
    /// </summary>
    public async Task<Inquiry?> TryStoreAsync(InquiryForm form, Func<Task<bool>>? admit)
    {
        ArgumentNullException.ThrowIfNull(form);
        var inquiry = form.ToInquiry(time.GetUtcNow().UtcDateTime);
        var suspicion = spamCheck.ReasonToSuspect(form);

        var stored = await writeGate.RunAsync(async () =>
        {
            // The form load is recorded in the inquiry's own transaction: a save that fails leaves it unused, so the
            // client's retry of the same page is not filed as a replay (and never emailed).
            await using var transaction = await db.Database.BeginTransactionAsync(CancellationToken.None);
            // The gate is this process's; the section is every instance's: the permit's count and take, and the once-a-day
            // acknowledgement check (OutboxWriter), each read, then write, and must not race an instance storing for the
            // same address.
            await db.Database.LockSectionAsync(Section, CancellationToken.None);
            if (admit is not null && !await admit())
            {
                return false; // rolled back as the transaction is disposed
            }

            var sentBefore = await fillTokens.ReasonIfSentBeforeAsync(form.FillToken, CancellationToken.None);
            inquiry.SpamReason = suspicion ?? sentBefore;
            // An urgent inquiry is never filtered out (password managers fill honeypots); the signal stays noted in SpamReason.
            inquiry.IsSuspectedSpam = inquiry.SpamReason is not null && inquiry.Outcome != ScreeningOutcome.Urgent;
            await outboxWriter.AddMessagesForAsync(inquiry, CancellationToken.None);
            db.Inquiries.Add(inquiry);
            await db.SaveChangesAsync(CancellationToken.None);
            await transaction.CommitAsync(CancellationToken.None);
            return true;
        });

        if (!stored)
        {
            return null;
        }

        if (inquiry.OutboxMessages.Count > 0)
        {
            outboxSignal.Nudge();
        }

        LogStored(logger, inquiry.Id, inquiry.IsSuspectedSpam);
        return inquiry;
    }

    // Ids only: an inquiry's content never reaches the logs.
    [LoggerMessage(Level = LogLevel.Information, Message = "Inquiry {InquiryId} stored (suspected spam: {SuspectedSpam})")]
    private static partial void LogStored(ILogger logger, int inquiryId, bool suspectedSpam);
}
