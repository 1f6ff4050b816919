using KapPractice.Web.Infrastructure.Data;

namespace KapPractice.Web.Features.Inquiries;

/// <summary>The words people see for each answer, in the order the form offers them.</summary>
public static class InquiryLabels
{
    public static IReadOnlyList<(YesNo Value, string Label)> YesNo { get; } =
        [(Infrastructure.Data.YesNo.Yes, "Yes"), (Infrastructure.Data.YesNo.No, "No")];

    public static IReadOnlyList<(YesNoNotSure Value, string Label)> YesNoNotSure { get; } =
        [(Infrastructure.Data.YesNoNotSure.Yes, "Yes"), (Infrastructure.Data.YesNoNotSure.No, "No"), (Infrastructure.Data.YesNoNotSure.NotSure, "Not sure")];

    public static IReadOnlyList<(ContactMethod Value, string Label)> ContactMethod { get; } =
        [(Infrastructure.Data.ContactMethod.Email, "Email"), (Infrastructure.Data.ContactMethod.Phone, "Phone"), (Infrastructure.Data.ContactMethod.Either, "Either")];

    public static IReadOnlyList<(SessionFormat Value, string Label)> SessionFormat { get; } =
        [(Infrastructure.Data.SessionFormat.InPerson, "In person"), (Infrastructure.Data.SessionFormat.Telehealth, "Telehealth (video)"), (Infrastructure.Data.SessionFormat.Either, "Either")];

    public static IReadOnlyList<(Concern Value, string Label)> Concern { get; } =
    [
        (Infrastructure.Data.Concern.Depression, "Depression"),
        (Infrastructure.Data.Concern.PtsdOrTrauma, "PTSD or trauma"),
        (Infrastructure.Data.Concern.Anxiety, "Anxiety"),
        (Infrastructure.Data.Concern.Ocd, "OCD"),
        (Infrastructure.Data.Concern.Grief, "Grief"),
        (Infrastructure.Data.Concern.Other, "Something else"),
    ];

    public static IReadOnlyList<(Treatment Value, string Label)> Treatment { get; } =
    [
        (Infrastructure.Data.Treatment.TalkTherapy, "Talk therapy"),
        (Infrastructure.Data.Treatment.Antidepressants, "Antidepressants"),
        (Infrastructure.Data.Treatment.OtherPsychiatricMedication, "Other psychiatric medication"),
        (Infrastructure.Data.Treatment.TmsOrEct, "TMS or ECT"),
        (Infrastructure.Data.Treatment.KetamineOrEsketamine, "Ketamine or esketamine (Spravato)"),
        (Infrastructure.Data.Treatment.None, "None of these"),
    ];

    public static IReadOnlyList<(BloodPressure Value, string Label)> BloodPressure { get; } =
    [
        (Infrastructure.Data.BloodPressure.No, "No"),
        (Infrastructure.Data.BloodPressure.TreatedAndControlled, "Yes, treated and under control"),
        (Infrastructure.Data.BloodPressure.HighAndNotControlled, "Yes, high and not under control"),
        (Infrastructure.Data.BloodPressure.NotSure, "Not sure"),
    ];

    public static IReadOnlyList<(PressureControl Value, string Label)> PressureControl { get; } =
    [
        (Infrastructure.Data.PressureControl.No, "No"),
        (Infrastructure.Data.PressureControl.Controlled, "Yes, and it is under control"),
        (Infrastructure.Data.PressureControl.NotControlled, "Yes, and it is not under control"),
    ];

    public static IReadOnlyList<(Severity Value, string Label)> Severity { get; } =
        [(Infrastructure.Data.Severity.No, "No"), (Infrastructure.Data.Severity.Mild, "Yes, mild"), (Infrastructure.Data.Severity.Severe, "Yes, severe")];

    public static IReadOnlyList<(SubstanceUse Value, string Label)> SubstanceUse { get; } =
    [
        (Infrastructure.Data.SubstanceUse.NoConcern, "No concern"),
        (Infrastructure.Data.SubstanceUse.InRecovery, "I am in recovery"),
        (Infrastructure.Data.SubstanceUse.CurrentlyAProblem, "It is a problem for me right now"),
    ];

    public static IReadOnlyList<(KetamineHistory Value, string Label)> KetamineHistory { get; } =
    [
        (Infrastructure.Data.KetamineHistory.Never, "Never"),
        (Infrastructure.Data.KetamineHistory.UsedWithoutProblems, "Yes, without problems"),
        (Infrastructure.Data.KetamineHistory.AllergyOrBadReaction, "Yes, and I had an allergy or a bad reaction"),
        (Infrastructure.Data.KetamineHistory.Misuse, "Yes, and I have misused it"),
    ];

    public static IReadOnlyList<(Medication Value, string Label)> Medication { get; } =
    [
        (Infrastructure.Data.Medication.Benzodiazepines, "Benzodiazepines (for example Xanax, Ativan, Klonopin)"),
        (Infrastructure.Data.Medication.Stimulants, "Stimulants (for example Adderall, Ritalin)"),
        (Infrastructure.Data.Medication.Opioids, "Opioids"),
        (Infrastructure.Data.Medication.Maois, "MAOIs"),
        (Infrastructure.Data.Medication.Lamotrigine, "Lamotrigine (Lamictal)"),
        (Infrastructure.Data.Medication.NoneOfThese, "None of these"),
        (Infrastructure.Data.Medication.Other, "Another medication"),
    ];

    public static IReadOnlyList<(Prescriber Value, string Label)> Prescriber { get; } =
    [
        (Infrastructure.Data.Prescriber.PsychiatricPrescriber, "Yes, a psychiatric prescriber"),
        (Infrastructure.Data.Prescriber.PrimaryCareOnly, "A primary-care doctor only"),
        (Infrastructure.Data.Prescriber.Neither, "Neither"),
    ];
}
