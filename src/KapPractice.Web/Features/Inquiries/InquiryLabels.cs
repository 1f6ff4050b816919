using KapPractice.Web.Domain;

namespace KapPractice.Web.Features.Inquiries;

/// <summary>The words people see for each answer, in the order the form offers them (from <see cref="AnswerLabels"/>).</summary>
public static class InquiryLabels
{
    public static IReadOnlyList<(YesNo Value, string Label)> YesNo { get; } = AnswerLabels.Choices<YesNo>();

    public static IReadOnlyList<(YesNoNotSure Value, string Label)> YesNoNotSure { get; } = AnswerLabels.Choices<YesNoNotSure>();

    public static IReadOnlyList<(ContactMethod Value, string Label)> ContactMethod { get; } = AnswerLabels.Choices<ContactMethod>();

    public static IReadOnlyList<(SessionFormat Value, string Label)> SessionFormat { get; } = AnswerLabels.Choices<SessionFormat>();

    public static IReadOnlyList<(Concern Value, string Label)> Concern { get; } = AnswerLabels.Choices<Concern>();

    public static IReadOnlyList<(Treatment Value, string Label)> Treatment { get; } = AnswerLabels.Choices<Treatment>();

    public static IReadOnlyList<(BloodPressure Value, string Label)> BloodPressure { get; } = AnswerLabels.Choices<BloodPressure>();

    public static IReadOnlyList<(PressureControl Value, string Label)> PressureControl { get; } = AnswerLabels.Choices<PressureControl>();

    public static IReadOnlyList<(Severity Value, string Label)> Severity { get; } = AnswerLabels.Choices<Severity>();

    public static IReadOnlyList<(SubstanceUse Value, string Label)> SubstanceUse { get; } = AnswerLabels.Choices<SubstanceUse>();

    public static IReadOnlyList<(SubstanceUseLastProblem Value, string Label)> SubstanceUseLastProblem { get; } = AnswerLabels.Choices<SubstanceUseLastProblem>();

    public static IReadOnlyList<(KetamineHistory Value, string Label)> KetamineHistory { get; } = AnswerLabels.Choices<KetamineHistory>();

    public static IReadOnlyList<(Medication Value, string Label)> Medication { get; } = AnswerLabels.Choices<Medication>();

    public static IReadOnlyList<(Prescriber Value, string Label)> Prescriber { get; } = AnswerLabels.Choices<Prescriber>();
}
