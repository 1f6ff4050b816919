using System.Diagnostics.CodeAnalysis;

namespace KapPractice.Web.Domain;

/// <summary>
/// Each question of the inquiry form as the client reads it. The form shows these, docs/screening.md quotes them (its test compares), and the answer sheet
/// (admin page, CSV export, the practitioner's email) puts each answer under the same words.
/// </summary>
public static class Questions
{
    // 1. Contact
    public const string FullName = "Full name";
    public const string Pronouns = "Pronouns";
    public const string Email = "Email address";
    public const string Phone = "Phone number";
    public const string PreferredContact = "How would you like to be contacted?";
    public const string VoicemailOk = "May we leave a voicemail?";

    // 2. Basics
    public const string Adult = "Are you 18 or older?";
    public const string InNewYork = "Will you be physically in New York State during sessions?";
    public const string SessionPreference = "How would you like to meet?";

    // 3. What brings you
    public const string Concerns = "What would you like help with?";
    public const string ConcernOther = "If something else, what is it?";
    public const string TreatmentsTried = "Which treatments have you tried?";
    public const string Message = "Anything you would like Leslie to know";

    // 4. Safety
    public const string SelfHarmThoughts = "Right now, are you having thoughts of harming yourself or ending your life?";

    // 5. Medical screening
    public const string PsychoticDisorder = "Have you been diagnosed with a psychotic disorder, such as schizophrenia or schizoaffective disorder?";
    public const string FamilyPsychoticDisorder = "Has a parent, brother, sister or child of yours been diagnosed with a psychotic disorder, such as schizophrenia?";
    public const string Bipolar = "Have you been diagnosed with bipolar disorder?";
    public const string ManicOrMixedEpisode = "Are you in a manic or mixed episode now?";
    public const string DissociativeDisorder = "Have you been diagnosed with a dissociative disorder?";
    public const string PregnantOrBreastfeeding = "Are you pregnant, trying to conceive or breastfeeding?";
    public const string BloodPressure = "Do you have high blood pressure?";
    public const string AneurysmOrStroke = "Have you had an aneurysm, AVM, brain bleed or stroke?";
    public const string SeizuresOrEpilepsy = "Have you ever had a seizure, or been diagnosed with epilepsy?";
    public const string OtherHeartDisease = "Do you have any other heart disease?";
    public const string EyeOrSkullPressure = "Do you have glaucoma or raised pressure in the eye or skull?";
    public const string BreathingProblems = "Do you have serious breathing problems or sleep apnea?";
    public const string LiverBladderOrThyroid = "Do you have liver disease, bladder or urinary problems, or an overactive thyroid?";
    public const string SubstanceUse = "Which best describes your alcohol or drug use?";
    public const string SubstanceUseLastProblem = "When was alcohol or drug use last a problem for you?";
    public const string KetamineHistory = "Have you taken ketamine before?";
    public const string Medications = "Do you take any of these medications now?";
    public const string MedicationOther = "If another medication, which?";
    public const string Prescriber = "Do you have a prescriber or primary-care doctor?";
    public const string WillingMedicalEvaluation = "Are you willing to have a medical evaluation with a prescriber?";
}

/// <summary>
/// The words of every answer the form offers, in the order it offers them. The form's choices and the
/// answer sheet both read them here, so the practitioner sees the option the client chose, word for word.
/// </summary>
public static class AnswerLabels
{
    private static readonly Dictionary<Enum, string> Words = new()
    {
        [YesNo.Yes] = "Yes",
        [YesNo.No] = "No",
        [YesNoNotSure.Yes] = "Yes",
        [YesNoNotSure.No] = "No",
        [YesNoNotSure.NotSure] = "Not sure",
        [ContactMethod.Email] = "Email",
        [ContactMethod.Phone] = "Phone",
        [ContactMethod.Either] = "Either",
        [SessionFormat.InPerson] = "In person",
        [SessionFormat.Telehealth] = "Telehealth (video)",
        [SessionFormat.Either] = "Either",
        [Concern.Depression] = "Depression",
        [Concern.PtsdOrTrauma] = "PTSD or trauma",
        [Concern.Anxiety] = "Anxiety",
        [Concern.Ocd] = "OCD",
        [Concern.Grief] = "Grief",
        [Concern.Other] = "Something else",
        [Treatment.TalkTherapy] = "Talk therapy",
        [Treatment.Antidepressants] = "Antidepressants",
        [Treatment.OtherPsychiatricMedication] = "Other psychiatric medication",
        [Treatment.TmsOrEct] = "TMS or ECT",
        [Treatment.KetamineOrEsketamine] = "Ketamine or esketamine (Spravato)",
        [Treatment.None] = "None of these",
        [BloodPressure.No] = "No",
        [BloodPressure.TreatedAndControlled] = "Yes, treated and under control",
        [BloodPressure.HighAndNotControlled] = "Yes, high and not under control",
        [BloodPressure.NotSure] = "Not sure",
        [PressureControl.No] = "No",
        [PressureControl.Controlled] = "Yes, and it is under control",
        [PressureControl.NotControlled] = "Yes, and it is not under control",
        [Severity.No] = "No",
        [Severity.Mild] = "Yes, mild",
        [Severity.Severe] = "Yes, severe",
        [SubstanceUse.NoConcern] = "No concern",
        [SubstanceUse.InRecovery] = "I am in recovery",
        [SubstanceUse.CurrentlyAProblem] = "It is a problem for me right now",
        [SubstanceUseLastProblem.Never] = "Never",
        [SubstanceUseLastProblem.MoreThanAYearAgo] = "More than a year ago",
        [SubstanceUseLastProblem.ThreeToTwelveMonthsAgo] = "3 months to a year ago",
        [SubstanceUseLastProblem.WithinThreeMonths] = "Less than 3 months ago",
        [SubstanceUseLastProblem.NotSure] = "Not sure",
        [KetamineHistory.Never] = "Never",
        [KetamineHistory.UsedWithoutProblems] = "Yes, without problems",
        [KetamineHistory.AllergyOrBadReaction] = "Yes, and I had an allergy or a bad reaction",
        [KetamineHistory.Misuse] = "Yes, and I have misused it",
        [Medication.Benzodiazepines] = "Benzodiazepines (for example Xanax, Ativan, Klonopin)",
        [Medication.Stimulants] = "Stimulants (for example Adderall, Ritalin)",
        [Medication.Opioids] = "Opioids",
        [Medication.Maois] = "MAOIs",
        [Medication.Lamotrigine] = "Lamotrigine (Lamictal)",
        [Medication.Gabapentinoids] = "Gabapentin (Neurontin) or pregabalin (Lyrica)",
        [Medication.NoneOfThese] = "None of these",
        [Medication.Other] = "Another medication",
        [Prescriber.PsychiatricPrescriber] = "Yes, a psychiatric prescriber",
        [Prescriber.PrimaryCareOnly] = "A primary-care doctor only",
        [Prescriber.Neither] = "Neither",
    };

    /// <summary>Every answer of <typeparamref name="T"/> with its words, in the order the form offers them.</summary>
    public static IReadOnlyList<(T Value, string Label)> Choices<T>()
        where T : struct, Enum => [.. Enum.GetValues<T>().Select(value => (value, Words[value]))];

    /// <summary>The words of an answer; false for a value that is not an answer of the form (a status, an outcome).</summary>
    public static bool TryGet<T>(T value, [NotNullWhen(true)] out string? label)
        where T : struct, Enum => Words.TryGetValue(value, out label);
}
