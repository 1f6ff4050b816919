using System.Text;
using KapPractice.Web.Domain;

namespace KapPractice.Web.Features.Inquiries;

/// <summary>
/// The inquiry form as posted. Every answer is nullable so an unanswered question is told apart from
/// a real answer; <see cref="ToInquiry"/> maps a validated form onto the stored entity.
/// </summary>
public sealed record InquiryForm
{
    // 1. Contact
    public string? FullName { get; set; }
    public string? Pronouns { get; set; }
    public string? Email { get; set; }
    public string? Phone { get; set; }
    public ContactMethod? PreferredContact { get; set; }
    public YesNo? VoicemailOk { get; set; }

    // 2. Basics
    public YesNo? Adult { get; set; }
    public YesNoNotSure? InNewYork { get; set; }
    public SessionFormat? SessionPreference { get; set; }

    // 3. What brings you
    public List<Concern> Concerns { get; set; } = [];
    public string? ConcernOther { get; set; }
    public List<Treatment> TreatmentsTried { get; set; } = [];
    public string? Message { get; set; }

    // 4. Safety
    public YesNo? SelfHarmThoughts { get; set; }

    // 5. Medical screening
    public YesNoNotSure? PsychoticDisorder { get; set; }
    public YesNoNotSure? FamilyPsychoticDisorder { get; set; }
    public YesNoNotSure? Bipolar { get; set; }
    public YesNoNotSure? ManicOrMixedEpisode { get; set; }
    public YesNoNotSure? DissociativeDisorder { get; set; }
    public YesNoNotSure? PregnantOrBreastfeeding { get; set; }
    public BloodPressure? BloodPressure { get; set; }
    public YesNoNotSure? AneurysmOrStroke { get; set; }
    public YesNoNotSure? SeizuresOrEpilepsy { get; set; }
    public YesNoNotSure? OtherHeartDisease { get; set; }
    public PressureControl? EyeOrSkullPressure { get; set; }
    public Severity? BreathingProblems { get; set; }
    public YesNoNotSure? LiverBladderOrThyroid { get; set; }
    public SubstanceUse? SubstanceUse { get; set; }
    public SubstanceUseLastProblem? SubstanceUseLastProblem { get; set; }
    public KetamineHistory? KetamineHistory { get; set; }
    public List<Medication> Medications { get; set; } = [];
    public string? MedicationOther { get; set; }
    public Prescriber? Prescriber { get; set; }
    public YesNoNotSure? WillingMedicalEvaluation { get; set; }

    // 6. Consents
    public bool ConsentNotForEmergencies { get; set; }
    public bool ConsentPrivacyNotice { get; set; }
    public bool ConsentNoTherapyRelationship { get; set; }
    public bool ConsentMedicalEvaluation { get; set; }
    public bool ConsentContact { get; set; }

    // Spam checks: the honeypot people never see, and the signed time the form was shown.
    public string? Website { get; set; }
    public string? FillToken { get; set; }

    /// <summary>The order questions appear on the page, so the error summary lists them the same way.</summary>
    public static IReadOnlyList<string> FieldOrder { get; } =
    [
        nameof(FullName), nameof(Pronouns), nameof(Email), nameof(Phone), nameof(PreferredContact), nameof(VoicemailOk),
        nameof(Adult), nameof(InNewYork), nameof(SessionPreference),
        nameof(Concerns), nameof(ConcernOther), nameof(TreatmentsTried), nameof(Message),
        nameof(SelfHarmThoughts),
        nameof(PsychoticDisorder), nameof(FamilyPsychoticDisorder), nameof(Bipolar), nameof(ManicOrMixedEpisode), nameof(DissociativeDisorder),
        nameof(PregnantOrBreastfeeding), nameof(BloodPressure), nameof(AneurysmOrStroke), nameof(SeizuresOrEpilepsy), nameof(OtherHeartDisease),
        nameof(EyeOrSkullPressure), nameof(BreathingProblems), nameof(LiverBladderOrThyroid), nameof(SubstanceUse), nameof(SubstanceUseLastProblem),
        nameof(KetamineHistory),
        nameof(Medications), nameof(MedicationOther), nameof(Prescriber), nameof(WillingMedicalEvaluation),
        nameof(ConsentNotForEmergencies), nameof(ConsentPrivacyNotice), nameof(ConsentNoTherapyRelationship),
        nameof(ConsentMedicalEvaluation), nameof(ConsentContact),
    ];

    /// <summary>Trims every text, turns blanks into null, composes accents (NFC) and drops repeated ticks.</summary>
    public InquiryForm Normalized() => this with
    {
        FullName = Clean(FullName),
        Pronouns = Clean(Pronouns),
        Email = Clean(Email),
        Phone = Clean(Phone),
        ConcernOther = Clean(ConcernOther),
        Message = Clean(Message),
        MedicationOther = Clean(MedicationOther),
        Website = Clean(Website),
        FillToken = Clean(FillToken),
        Concerns = [.. Concerns.Distinct()],
        TreatmentsTried = [.. TreatmentsTried.Distinct()],
        Medications = [.. Medications.Distinct()],
    };

    /// <summary>The entity for a form that passed <see cref="InquiryFormValidator"/>, screened; times are the caller's (UTC).</summary>
    public Inquiry ToInquiry(DateTime nowUtc)
    {
        var bipolarAsked = Bipolar is not YesNoNotSure.No;
        var lastProblemAsked = SubstanceUse is not Domain.SubstanceUse.CurrentlyAProblem;
        var inquiry = new Inquiry
        {
            ReceivedUtc = nowUtc,
            FullName = FullName ?? throw Unvalidated(nameof(FullName)),
            Pronouns = Pronouns,
            Email = Email ?? throw Unvalidated(nameof(Email)),
            Phone = Phone,
            PreferredContact = PreferredContact ?? throw Unvalidated(nameof(PreferredContact)),
            VoicemailOk = VoicemailOk ?? throw Unvalidated(nameof(VoicemailOk)),
            Adult = Adult ?? throw Unvalidated(nameof(Adult)),
            InNewYork = InNewYork ?? throw Unvalidated(nameof(InNewYork)),
            SessionPreference = SessionPreference ?? throw Unvalidated(nameof(SessionPreference)),
            Concerns = [.. Concerns],
            ConcernOther = Concerns.Contains(Concern.Other) ? ConcernOther : null,
            TreatmentsTried = [.. TreatmentsTried],
            Message = Message,
            SelfHarmThoughts = SelfHarmThoughts ?? throw Unvalidated(nameof(SelfHarmThoughts)),
            PsychoticDisorder = PsychoticDisorder ?? throw Unvalidated(nameof(PsychoticDisorder)),
            FamilyPsychoticDisorder = FamilyPsychoticDisorder ?? throw Unvalidated(nameof(FamilyPsychoticDisorder)),
            Bipolar = Bipolar ?? throw Unvalidated(nameof(Bipolar)),
            ManicOrMixedEpisode = bipolarAsked ? ManicOrMixedEpisode ?? throw Unvalidated(nameof(ManicOrMixedEpisode)) : null,
            DissociativeDisorder = DissociativeDisorder ?? throw Unvalidated(nameof(DissociativeDisorder)),
            PregnantOrBreastfeeding = PregnantOrBreastfeeding ?? throw Unvalidated(nameof(PregnantOrBreastfeeding)),
            BloodPressure = BloodPressure ?? throw Unvalidated(nameof(BloodPressure)),
            AneurysmOrStroke = AneurysmOrStroke ?? throw Unvalidated(nameof(AneurysmOrStroke)),
            SeizuresOrEpilepsy = SeizuresOrEpilepsy ?? throw Unvalidated(nameof(SeizuresOrEpilepsy)),
            OtherHeartDisease = OtherHeartDisease ?? throw Unvalidated(nameof(OtherHeartDisease)),
            EyeOrSkullPressure = EyeOrSkullPressure ?? throw Unvalidated(nameof(EyeOrSkullPressure)),
            BreathingProblems = BreathingProblems ?? throw Unvalidated(nameof(BreathingProblems)),
            LiverBladderOrThyroid = LiverBladderOrThyroid ?? throw Unvalidated(nameof(LiverBladderOrThyroid)),
            SubstanceUse = SubstanceUse ?? throw Unvalidated(nameof(SubstanceUse)),
            SubstanceUseLastProblem = lastProblemAsked ? SubstanceUseLastProblem ?? throw Unvalidated(nameof(SubstanceUseLastProblem)) : null,
            KetamineHistory = KetamineHistory ?? throw Unvalidated(nameof(KetamineHistory)),
            Medications = [.. Medications],
            MedicationOther = Medications.Contains(Medication.Other) ? MedicationOther : null,
            Prescriber = Prescriber ?? throw Unvalidated(nameof(Prescriber)),
            WillingMedicalEvaluation = WillingMedicalEvaluation ?? throw Unvalidated(nameof(WillingMedicalEvaluation)),
            ConsentsGivenUtc = nowUtc,
            StatusChangedUtc = nowUtc,
        };
        var screening = Screening.Evaluate(inquiry);
        inquiry.Outcome = screening.Outcome;
        inquiry.ScreeningReasons = [.. screening.Reasons];
        return inquiry;
    }

    private static InvalidOperationException Unvalidated(string field) =>
        new($"{field} has no answer: validate the form before mapping it.");

    private static string? Clean(string? value)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return null;
        }

        var trimmed = value.Trim();
        // Normalising a string with unpaired surrogates throws; the validator rejects those instead.
        return !IsWellFormed(trimmed) || trimmed.IsNormalized(NormalizationForm.FormC) ? trimmed : trimmed.Normalize(NormalizationForm.FormC);
    }

    internal static bool IsWellFormed(string value)
    {
        for (var i = 0; i < value.Length; i++)
        {
            if (char.IsHighSurrogate(value[i]) && i + 1 < value.Length && char.IsLowSurrogate(value[i + 1]))
            {
                i++;
            }
            else if (char.IsSurrogate(value[i]))
            {
                return false;
            }
        }

        return true;
    }
}
