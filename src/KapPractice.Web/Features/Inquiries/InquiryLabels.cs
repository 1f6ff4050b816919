using KapPractice.Web.Domain;

namespace KapPractice.Web.Features.Inquiries;

/// <summary>The words people see for each answer, in the order the form offers them.</summary>
public static class InquiryLabels
{
    public static IReadOnlyList<(YesNo Value, string Label)> YesNo { get; } =
        [(Domain.YesNo.Yes, "Yes"), (Domain.YesNo.No, "No")];

    public static IReadOnlyList<(YesNoNotSure Value, string Label)> YesNoNotSure { get; } =
        [(Domain.YesNoNotSure.Yes, "Yes"), (Domain.YesNoNotSure.No, "No"), (Domain.YesNoNotSure.NotSure, "Not sure")];

    public static IReadOnlyList<(ContactMethod Value, string Label)> ContactMethod { get; } =
        [(Domain.ContactMethod.Email, "Email"), (Domain.ContactMethod.Phone, "Phone"), (Domain.ContactMethod.Either, "Either")];

    public static IReadOnlyList<(SessionFormat Value, string Label)> SessionFormat { get; } =
        [(Domain.SessionFormat.InPerson, "In person"), (Domain.SessionFormat.Telehealth, "Telehealth (video)"), (Domain.SessionFormat.Either, "Either")];

    public static IReadOnlyList<(Concern Value, string Label)> Concern { get; } =
    [
        (Domain.Concern.Depression, "Depression"),
        (Domain.Concern.PtsdOrTrauma, "PTSD or trauma"),
        (Domain.Concern.Anxiety, "Anxiety"),
        (Domain.Concern.Ocd, "OCD"),
        (Domain.Concern.Grief, "Grief"),
        (Domain.Concern.Other, "Something else"),
    ];

    public static IReadOnlyList<(Treatment Value, string Label)> Treatment { get; } =
    [
        (Domain.Treatment.TalkTherapy, "Talk therapy"),
        (Domain.Treatment.Antidepressants, "Antidepressants"),
        (Domain.Treatment.OtherPsychiatricMedication, "Other psychiatric medication"),
        (Domain.Treatment.TmsOrEct, "TMS or ECT"),
        (Domain.Treatment.KetamineOrEsketamine, "Ketamine or esketamine (Spravato)"),
        (Domain.Treatment.None, "None of these"),
    ];

    public static IReadOnlyList<(BloodPressure Value, string Label)> BloodPressure { get; } =
    [
        (Domain.BloodPressure.No, "No"),
        (Domain.BloodPressure.TreatedAndControlled, "Yes, treated and under control"),
        (Domain.BloodPressure.HighAndNotControlled, "Yes, high and not under control"),
        (Domain.BloodPressure.NotSure, "Not sure"),
    ];

    public static IReadOnlyList<(PressureControl Value, string Label)> PressureControl { get; } =
    [
        (Domain.PressureControl.No, "No"),
        (Domain.PressureControl.Controlled, "Yes, and it is under control"),
        (Domain.PressureControl.NotControlled, "Yes, and it is not under control"),
    ];

    public static IReadOnlyList<(Severity Value, string Label)> Severity { get; } =
        [(Domain.Severity.No, "No"), (Domain.Severity.Mild, "Yes, mild"), (Domain.Severity.Severe, "Yes, severe")];

    public static IReadOnlyList<(SubstanceUse Value, string Label)> SubstanceUse { get; } =
    [
        (Domain.SubstanceUse.NoConcern, "No concern"),
        (Domain.SubstanceUse.InRecovery, "I am in recovery"),
        (Domain.SubstanceUse.CurrentlyAProblem, "It is a problem for me right now"),
    ];

    public static IReadOnlyList<(KetamineHistory Value, string Label)> KetamineHistory { get; } =
    [
        (Domain.KetamineHistory.Never, "Never"),
        (Domain.KetamineHistory.UsedWithoutProblems, "Yes, without problems"),
        (Domain.KetamineHistory.AllergyOrBadReaction, "Yes, and I had an allergy or a bad reaction"),
        (Domain.KetamineHistory.Misuse, "Yes, and I have misused it"),
    ];

    public static IReadOnlyList<(Medication Value, string Label)> Medication { get; } =
    [
        (Domain.Medication.Benzodiazepines, "Benzodiazepines (for example Xanax, Ativan, Klonopin)"),
        (Domain.Medication.Stimulants, "Stimulants (for example Adderall, Ritalin)"),
        (Domain.Medication.Opioids, "Opioids"),
        (Domain.Medication.Maois, "MAOIs"),
        (Domain.Medication.Lamotrigine, "Lamotrigine (Lamictal)"),
        (Domain.Medication.NoneOfThese, "None of these"),
        (Domain.Medication.Other, "Another medication"),
    ];

    public static IReadOnlyList<(Prescriber Value, string Label)> Prescriber { get; } =
    [
        (Domain.Prescriber.PsychiatricPrescriber, "Yes, a psychiatric prescriber"),
        (Domain.Prescriber.PrimaryCareOnly, "A primary-care doctor only"),
        (Domain.Prescriber.Neither, "Neither"),
    ];
}
