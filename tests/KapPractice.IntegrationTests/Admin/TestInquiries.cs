using KapPractice.Web.Infrastructure.Data;
using KapPractice.Web.Infrastructure.Email;

namespace KapPractice.Tests.Support;

/// <summary>Complete, valid inquiries as the form would store them, for tests that start after submission.</summary>
public static class TestInquiries
{
    private static int _counter;

    public static Inquiry Build(Action<Inquiry>? customize = null)
    {
        var n = Interlocked.Increment(ref _counter);
        var received = DateTime.UtcNow.AddMinutes(-n);
        var inquiry = new Inquiry
        {
            ReceivedUtc = received,
            FullName = $"Test Client {n}",
            Pronouns = "they/them",
            Email = $"client{n}@example.org",
            Phone = "+1 555 0100",
            PreferredContact = ContactMethod.Email,
            VoicemailOk = YesNo.Yes,
            Adult = YesNo.Yes,
            InNewYork = YesNoNotSure.Yes,
            SessionPreference = SessionFormat.Either,
            Concerns = [Concern.Depression, Concern.PtsdOrTrauma],
            TreatmentsTried = [Treatment.TalkTherapy, Treatment.Antidepressants],
            Message = "I would like to know more.",
            SelfHarmThoughts = YesNo.No,
            PsychoticDisorder = YesNoNotSure.No,
            Bipolar = YesNoNotSure.No,
            PregnantOrBreastfeeding = YesNoNotSure.No,
            BloodPressure = BloodPressure.No,
            AneurysmOrStroke = YesNoNotSure.No,
            OtherHeartDisease = YesNoNotSure.No,
            EyeOrSkullPressure = PressureControl.No,
            BreathingProblems = Severity.No,
            LiverBladderOrThyroid = YesNoNotSure.No,
            SubstanceUse = SubstanceUse.NoConcern,
            KetamineHistory = KetamineHistory.Never,
            Medications = [Medication.NoneOfThese],
            Prescriber = Prescriber.PsychiatricPrescriber,
            WillingMedicalEvaluation = YesNoNotSure.Yes,
            ConsentsGivenUtc = received,
            Outcome = ScreeningOutcome.LikelyEligible,
            ScreeningReasons = [],
            Status = InquiryStatus.New,
            StatusChangedUtc = received,
        };
        customize?.Invoke(inquiry);
        return inquiry;
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
}
