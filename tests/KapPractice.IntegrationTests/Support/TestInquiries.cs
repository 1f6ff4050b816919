using KapPractice.Web.Domain;
using KapPractice.Web.Infrastructure.Data;
using KapPractice.Web.Infrastructure.Outbox;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace KapPractice.Tests.Support;

/// <summary>
/// Complete, valid inquiries stored the way the form stores them: the inquiry and its outbox rows in
/// one SaveChanges, then a nudge to the dispatcher. (The form can replace this with a real post.)
/// </summary>
public static class TestInquiries
{
    private static int _counter;

    /// <summary>A complete inquiry with its own name, address and received time (one minute older per call), screened likely eligible.</summary>
    public static Inquiry Build(Action<Inquiry>? customize = null)
    {
        var n = Interlocked.Increment(ref _counter);
        var received = DateTime.UtcNow.AddMinutes(-n);
        return Valid(inquiry =>
        {
            inquiry.ReceivedUtc = received;
            inquiry.ConsentsGivenUtc = received;
            inquiry.StatusChangedUtc = received;
            inquiry.FullName = $"Test Client {n}";
            inquiry.Pronouns = "they/them";
            inquiry.Email = $"client{n}@example.org";
            inquiry.VoicemailOk = YesNo.Yes;
            inquiry.SessionPreference = SessionFormat.Either;
            inquiry.Concerns = [Concern.Depression, Concern.PtsdOrTrauma];
            inquiry.ConcernOther = null;
            inquiry.Message = "I would like to know more.";
            inquiry.BloodPressure = BloodPressure.No;
            inquiry.Medications = [Medication.NoneOfThese];
            inquiry.Outcome = ScreeningOutcome.LikelyEligible;
            inquiry.ScreeningReasons = [];
            customize?.Invoke(inquiry);
        });
    }

    /// <summary>A notification row in the given state, as the dispatcher would leave it.</summary>
    public static OutboxMessage Notification(OutboxState state, DateTime? created = null) => new()
    {
        Kind = OutboxKind.PractitionerNotification,
        Recipient = "leslie@intuitivecreativeartstherapy.com",
        MessageId = $"<{Guid.NewGuid():N}@test>",
        State = state,
        CreatedUtc = created ?? DateTime.UtcNow,
        NextAttemptUtc = created ?? DateTime.UtcNow,
        Attempts = state == OutboxState.Pending ? 0 : 1,
        LastError = state == OutboxState.Failed ? "SMTP server refused" : null,
    };

    /// <summary>Stores the inquiry as it is, without outbox rows or a nudge; returns its id.</summary>
    public static async Task<int> AddAsync(this KapPracticeFactory factory, Inquiry inquiry)
    {
        ArgumentNullException.ThrowIfNull(factory);
        return await factory.WithDbAsync(async db =>
        {
            db.Inquiries.Add(inquiry);
            await db.SaveChangesAsync();
            return inquiry.Id;
        });
    }

    public static Inquiry Valid(Action<Inquiry>? change = null)
    {
        var inquiry = new Inquiry
        {
            FullName = "Ana Example",
            Pronouns = "she/her",
            Email = "ana@client.test",
            Phone = "+1 555 0100",
            PreferredContact = ContactMethod.Email,
            VoicemailOk = YesNo.No,
            Adult = YesNo.Yes,
            InNewYork = YesNoNotSure.Yes,
            SessionPreference = SessionFormat.Telehealth,
            Concerns = [Concern.Depression, Concern.Other],
            ConcernOther = "trouble sleeping",
            TreatmentsTried = [Treatment.TalkTherapy, Treatment.Antidepressants],
            Message = "Two antidepressants have not helped.\nI would like to talk about options.",
            SelfHarmThoughts = YesNo.No,
            PsychoticDisorder = YesNoNotSure.No,
            Bipolar = YesNoNotSure.No,
            PregnantOrBreastfeeding = YesNoNotSure.No,
            BloodPressure = BloodPressure.TreatedAndControlled,
            AneurysmOrStroke = YesNoNotSure.No,
            OtherHeartDisease = YesNoNotSure.No,
            EyeOrSkullPressure = PressureControl.No,
            BreathingProblems = Severity.No,
            LiverBladderOrThyroid = YesNoNotSure.No,
            SubstanceUse = SubstanceUse.NoConcern,
            KetamineHistory = KetamineHistory.Never,
            Medications = [Medication.Lamotrigine],
            Prescriber = Prescriber.PsychiatricPrescriber,
            WillingMedicalEvaluation = YesNoNotSure.Yes,
            Outcome = ScreeningOutcome.NeedsMedicalReview,
            ScreeningReasons = ["Blood pressure is treated: needs medical review", "Takes lamotrigine"],
        };
        change?.Invoke(inquiry);
        return inquiry;
    }

    public static Inquiry Urgent(Action<Inquiry>? change = null) => Valid(inquiry =>
    {
        inquiry.SelfHarmThoughts = YesNo.Yes;
        inquiry.Outcome = ScreeningOutcome.Urgent;
        inquiry.ScreeningReasons = ["Current thoughts of self-harm", .. inquiry.ScreeningReasons];
        change?.Invoke(inquiry);
    });

    /// <summary>Stores the inquiry with its outbox rows in one SaveChanges and nudges the dispatcher.</summary>
    public static async Task<Inquiry> SubmitAsync(this KapPracticeFactory factory, Inquiry inquiry)
    {
        ArgumentNullException.ThrowIfNull(factory);
        ArgumentNullException.ThrowIfNull(inquiry);
        await using var scope = factory.Services.CreateAsyncScope();
        var services = scope.ServiceProvider;
        var now = services.GetRequiredService<TimeProvider>().GetUtcNow().UtcDateTime;
        inquiry.ReceivedUtc = now;
        inquiry.ConsentsGivenUtc = now;
        inquiry.StatusChangedUtc = now;
        var db = services.GetRequiredService<KapDbContext>();
        db.Inquiries.Add(inquiry);
        await services.GetRequiredService<OutboxWriter>().AddMessagesForAsync(inquiry, CancellationToken.None);
        await db.SaveChangesAsync();
        services.GetRequiredService<OutboxSignal>().Nudge();
        return inquiry;
    }

    public static Task<List<OutboxMessage>> OutboxAsync(this KapPracticeFactory factory) =>
        factory.WithDbAsync(db => db.OutboxMessages.AsNoTracking().OrderBy(m => m.Id).ToListAsync());

    public static async Task<OutboxMessage> OutboxRowAsync(this KapPracticeFactory factory, int inquiryId, OutboxKind kind) =>
        (await factory.OutboxAsync()).Single(m => m.InquiryId == inquiryId && m.Kind == kind);

    /// <summary>Polls the database (bounded) until the inquiry's row of that kind satisfies the condition; returns it.</summary>
    public static async Task<OutboxMessage> WaitForRowAsync(this KapPracticeFactory factory, int inquiryId, OutboxKind kind, Func<OutboxMessage, bool> condition)
    {
        ArgumentNullException.ThrowIfNull(condition);
        OutboxMessage? row = null;
        await Eventually.TrueAsync(async () =>
        {
            row = await factory.OutboxRowAsync(inquiryId, kind);
            return condition(row);
        }, what: $"the {kind} outbox row of inquiry {inquiryId} to reach the expected state");
        return row!;
    }
}
