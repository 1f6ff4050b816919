namespace KapPractice.Web.Domain;

/// <summary>One intake and eligibility inquiry as the client sent it, with its screening and follow-up.</summary>
public sealed class Inquiry
{
    public int Id { get; set; }
    public DateTime ReceivedUtc { get; set; }

    // 1. Contact
    public required string FullName { get; set; }
    public string? Pronouns { get; set; }
    public required string Email { get; set; }
    public string? Phone { get; set; }
    public ContactMethod PreferredContact { get; set; }
    public YesNo VoicemailOk { get; set; }

    // 2. Basics
    public YesNo Adult { get; set; }
    public YesNoNotSure InNewYork { get; set; }
    public SessionFormat SessionPreference { get; set; }

    // 3. What brings you
    public List<Concern> Concerns { get; set; } = [];
    public string? ConcernOther { get; set; }
    public List<Treatment> TreatmentsTried { get; set; } = [];
    public string? Message { get; set; }

    // 4. Safety
    public YesNo SelfHarmThoughts { get; set; }

    // 5. Medical screening
    public YesNoNotSure PsychoticDisorder { get; set; }
    /// <summary>Null for an inquiry sent before the form asked it (as are the other questions added with it).</summary>
    public YesNoNotSure? FamilyPsychoticDisorder { get; set; }
    public YesNoNotSure Bipolar { get; set; }
    /// <summary>Asked only when <see cref="Bipolar"/> is not No.</summary>
    public YesNoNotSure? ManicOrMixedEpisode { get; set; }
    public YesNoNotSure? DissociativeDisorder { get; set; }
    public YesNoNotSure PregnantOrBreastfeeding { get; set; }
    public BloodPressure BloodPressure { get; set; }
    public YesNoNotSure AneurysmOrStroke { get; set; }
    public YesNoNotSure? SeizuresOrEpilepsy { get; set; }
    public YesNoNotSure OtherHeartDisease { get; set; }
    public PressureControl EyeOrSkullPressure { get; set; }
    public Severity BreathingProblems { get; set; }
    public YesNoNotSure LiverBladderOrThyroid { get; set; }
    public SubstanceUse SubstanceUse { get; set; }
    /// <summary>Asked only when <see cref="SubstanceUse"/> is not a problem right now; null too before the form asked it.</summary>
    public SubstanceUseLastProblem? SubstanceUseLastProblem { get; set; }
    public KetamineHistory KetamineHistory { get; set; }
    public List<Medication> Medications { get; set; } = [];
    public string? MedicationOther { get; set; }
    public Prescriber Prescriber { get; set; }
    public YesNoNotSure WillingMedicalEvaluation { get; set; }

    // 6. Consents: each one is required, so storing the moment they were given is the record.
    public DateTime ConsentsGivenUtc { get; set; }

    // Screening (shown to the practitioner only)
    public ScreeningOutcome Outcome { get; set; }
    public List<string> ScreeningReasons { get; set; } = [];

    // Follow-up
    public InquiryStatus Status { get; set; } = InquiryStatus.New;
    public DateTime StatusChangedUtc { get; set; }
    public DateTime? FirstViewedUtc { get; set; }
    public bool IsSuspectedSpam { get; set; }
    public string? SpamReason { get; set; }
    /// <summary>
    /// When the follow-up check looked at it for the urgent reminder, once FollowUp:UrgentRemindAfter had passed. Set on
    /// every inquiry, urgent or not, so a copy of the database cannot tell the urgent ones by it (docs/security.md).
    /// </summary>
    public DateTime? ReminderCheckedUtc { get; set; }

    public List<InquiryNote> Notes { get; set; } = [];
    public List<OutboxMessage> OutboxMessages { get; set; } = [];
}
