using KapPractice.Web.Domain;

namespace KapPractice.Web.Features.Inquiries;

/// <summary>The screening of one inquiry: the most serious outcome and every reason behind it, most serious first.</summary>
public sealed record ScreeningResult(ScreeningOutcome Outcome, IReadOnlyList<string> Reasons);

/// <summary>
/// One rule: an inquiry whose <see cref="Question"/> has <see cref="Answer"/> (and, when there is one, meets
/// <see cref="Condition"/>) gets at least <see cref="Outcome"/>, and the practitioner reads <see cref="Reason"/>.
/// </summary>
/// <param name="Question">The answer's name on the form and the entity (also its <see cref="Questions"/> member).</param>
/// <param name="Condition">For the reader, what else must hold; null when nothing else.</param>
/// <param name="Applies">The rule itself.</param>
public sealed record ScreeningRule(string Question, Enum Answer, ScreeningOutcome Outcome, string Reason, string? Condition, Func<Inquiry, bool> Applies);

/// <summary>
/// Sorts inquiries for the practitioner by the rules in <see cref="Rules"/>, written out for the prescriber
/// who reviews them in docs/screening.md. It never decides eligibility: a prescriber does, and the client
/// is never shown the result.
/// </summary>
public static class Screening
{
    private const ScreeningOutcome Urgent = ScreeningOutcome.Urgent;
    private const ScreeningOutcome NotAFit = ScreeningOutcome.LikelyNotAFitNow;
    private const ScreeningOutcome Review = ScreeningOutcome.NeedsMedicalReview;

    // The episode question follows up bipolar disorder: an answer left over from a "No" to bipolar disorder does not count.
    private static readonly (string Text, Func<Inquiry, bool> Holds) BipolarAsked =
        ("asked only after Yes or Not sure to bipolar disorder", i => i.Bipolar != YesNoNotSure.No);

    private static readonly (string Text, Func<Inquiry, bool> Holds) NoEpisodeNow =
        ("together with No to a manic or mixed episode now", i => i.ManicOrMixedEpisode == YesNoNotSure.No);

    // When it was last a problem follows up the use now: an answer left over from "a problem right now" does not count.
    private static readonly (string Text, Func<Inquiry, bool> Holds) LastProblemAsked =
        ("asked only when alcohol or drug use is not a problem right now", i => i.SubstanceUse != SubstanceUse.CurrentlyAProblem);

    /// <summary>Every rule, in the order of the form's questions.</summary>
    public static IReadOnlyList<ScreeningRule> Rules { get; } =
    [
        One(nameof(Inquiry.Adult), i => i.Adult, YesNo.No, NotAFit, "Under 18."),
        One(nameof(Inquiry.InNewYork), i => i.InNewYork, YesNoNotSure.No, NotAFit, "Will not be in New York State during sessions."),
        One(nameof(Inquiry.InNewYork), i => i.InNewYork, YesNoNotSure.NotSure, Review, "Not sure whether they will be in New York State during sessions."),

        One(nameof(Inquiry.SelfHarmThoughts), i => i.SelfHarmThoughts, YesNo.Yes, Urgent, "Having thoughts of harming themselves or ending their life right now."),

        One(nameof(Inquiry.PsychoticDisorder), i => i.PsychoticDisorder, YesNoNotSure.Yes, NotAFit, "Diagnosed psychotic disorder."),
        One(nameof(Inquiry.PsychoticDisorder), i => i.PsychoticDisorder, YesNoNotSure.NotSure, Review, "Not sure about a psychotic disorder diagnosis."),

        One(nameof(Inquiry.FamilyPsychoticDisorder), i => i.FamilyPsychoticDisorder, YesNoNotSure.Yes, Review, "A parent, sibling or child has a psychotic disorder."),
        One(nameof(Inquiry.FamilyPsychoticDisorder), i => i.FamilyPsychoticDisorder, YesNoNotSure.NotSure, Review, "Not sure whether a parent, sibling or child has a psychotic disorder."),

        One(nameof(Inquiry.Bipolar), i => i.Bipolar, YesNoNotSure.Yes, Review, "Bipolar disorder, no current manic or mixed episode.", NoEpisodeNow),
        One(nameof(Inquiry.Bipolar), i => i.Bipolar, YesNoNotSure.NotSure, Review, "Not sure about a bipolar disorder diagnosis."),
        One(nameof(Inquiry.ManicOrMixedEpisode), i => i.ManicOrMixedEpisode, YesNoNotSure.Yes, NotAFit, "In a manic or mixed episode now.", BipolarAsked),
        One(nameof(Inquiry.ManicOrMixedEpisode), i => i.ManicOrMixedEpisode, YesNoNotSure.NotSure, Review, "Not sure whether they are in a manic or mixed episode now.", BipolarAsked),

        One(nameof(Inquiry.DissociativeDisorder), i => i.DissociativeDisorder, YesNoNotSure.Yes, Review, "Diagnosed dissociative disorder."),
        One(nameof(Inquiry.DissociativeDisorder), i => i.DissociativeDisorder, YesNoNotSure.NotSure, Review, "Not sure about a dissociative disorder diagnosis."),

        One(nameof(Inquiry.PregnantOrBreastfeeding), i => i.PregnantOrBreastfeeding, YesNoNotSure.Yes, Review, "Pregnant, trying to conceive or breastfeeding."),
        One(nameof(Inquiry.PregnantOrBreastfeeding), i => i.PregnantOrBreastfeeding, YesNoNotSure.NotSure, Review, "Not sure about pregnancy, trying to conceive or breastfeeding."),

        One(nameof(Inquiry.BloodPressure), i => i.BloodPressure, BloodPressure.HighAndNotControlled, NotAFit, "High blood pressure that is not controlled."),
        One(nameof(Inquiry.BloodPressure), i => i.BloodPressure, BloodPressure.TreatedAndControlled, Review, "High blood pressure, treated and controlled."),
        One(nameof(Inquiry.BloodPressure), i => i.BloodPressure, BloodPressure.NotSure, Review, "Not sure about their blood pressure."),

        One(nameof(Inquiry.AneurysmOrStroke), i => i.AneurysmOrStroke, YesNoNotSure.Yes, NotAFit, "Aneurysm, AVM, brain bleed or stroke."),
        One(nameof(Inquiry.AneurysmOrStroke), i => i.AneurysmOrStroke, YesNoNotSure.NotSure, Review, "Not sure about an aneurysm, AVM, brain bleed or stroke."),

        One(nameof(Inquiry.SeizuresOrEpilepsy), i => i.SeizuresOrEpilepsy, YesNoNotSure.Yes, Review, "Has had a seizure or has epilepsy."),
        One(nameof(Inquiry.SeizuresOrEpilepsy), i => i.SeizuresOrEpilepsy, YesNoNotSure.NotSure, Review, "Not sure about seizures or epilepsy."),

        One(nameof(Inquiry.OtherHeartDisease), i => i.OtherHeartDisease, YesNoNotSure.Yes, Review, "Other heart disease."),
        One(nameof(Inquiry.OtherHeartDisease), i => i.OtherHeartDisease, YesNoNotSure.NotSure, Review, "Not sure about other heart disease."),

        One(nameof(Inquiry.EyeOrSkullPressure), i => i.EyeOrSkullPressure, PressureControl.NotControlled, NotAFit, "Glaucoma or raised eye or skull pressure that is not controlled."),
        One(nameof(Inquiry.EyeOrSkullPressure), i => i.EyeOrSkullPressure, PressureControl.Controlled, Review, "Glaucoma or raised eye or skull pressure, controlled."),

        One(nameof(Inquiry.BreathingProblems), i => i.BreathingProblems, Severity.Severe, NotAFit, "Severe breathing problems or sleep apnea."),
        One(nameof(Inquiry.BreathingProblems), i => i.BreathingProblems, Severity.Mild, Review, "Mild breathing problems or sleep apnea."),

        One(nameof(Inquiry.LiverBladderOrThyroid), i => i.LiverBladderOrThyroid, YesNoNotSure.Yes, Review, "Liver disease, bladder or urinary problems, or an overactive thyroid."),
        One(nameof(Inquiry.LiverBladderOrThyroid), i => i.LiverBladderOrThyroid, YesNoNotSure.NotSure, Review, "Not sure about liver disease, bladder or urinary problems, or an overactive thyroid."),

        One(nameof(Inquiry.SubstanceUse), i => i.SubstanceUse, SubstanceUse.CurrentlyAProblem, NotAFit, "Alcohol or drug use is currently a problem."),
        One(nameof(Inquiry.SubstanceUse), i => i.SubstanceUse, SubstanceUse.InRecovery, Review, "In recovery from alcohol or drug use."),
        One(nameof(Inquiry.SubstanceUseLastProblem), i => i.SubstanceUseLastProblem, SubstanceUseLastProblem.WithinThreeMonths, NotAFit, "Alcohol or drug use was last a problem less than 3 months ago.", LastProblemAsked),
        One(nameof(Inquiry.SubstanceUseLastProblem), i => i.SubstanceUseLastProblem, SubstanceUseLastProblem.ThreeToTwelveMonthsAgo, Review, "Alcohol or drug use was last a problem 3 months to a year ago.", LastProblemAsked),
        One(nameof(Inquiry.SubstanceUseLastProblem), i => i.SubstanceUseLastProblem, SubstanceUseLastProblem.MoreThanAYearAgo, Review, "Alcohol or drug use was last a problem more than a year ago.", LastProblemAsked),
        One(nameof(Inquiry.SubstanceUseLastProblem), i => i.SubstanceUseLastProblem, SubstanceUseLastProblem.NotSure, Review, "Not sure when alcohol or drug use was last a problem.", LastProblemAsked),

        One(nameof(Inquiry.KetamineHistory), i => i.KetamineHistory, KetamineHistory.AllergyOrBadReaction, NotAFit, "Allergy or bad reaction to ketamine."),
        One(nameof(Inquiry.KetamineHistory), i => i.KetamineHistory, KetamineHistory.UsedWithoutProblems, Review, "Has used ketamine before, without problems."),
        One(nameof(Inquiry.KetamineHistory), i => i.KetamineHistory, KetamineHistory.Misuse, Review, "Has misused ketamine."),

        Ticked(Medication.Benzodiazepines, "Takes benzodiazepines."),
        Ticked(Medication.Stimulants, "Takes stimulants."),
        Ticked(Medication.Opioids, "Takes opioids."),
        Ticked(Medication.Maois, "Takes an MAOI."),
        Ticked(Medication.Lamotrigine, "Takes lamotrigine."),
        Ticked(Medication.Gabapentinoids, "Takes gabapentin or pregabalin."),
        Ticked(Medication.Other, "Takes another medication (see their answer)."),

        One(nameof(Inquiry.Prescriber), i => i.Prescriber, Prescriber.Neither, Review, "Has no psychiatric prescriber or primary-care doctor."),

        One(nameof(Inquiry.WillingMedicalEvaluation), i => i.WillingMedicalEvaluation, YesNoNotSure.No, NotAFit, "Declines a medical evaluation."),
        One(nameof(Inquiry.WillingMedicalEvaluation), i => i.WillingMedicalEvaluation, YesNoNotSure.NotSure, Review, "Not sure about having a medical evaluation."),
    ];

    public static ScreeningResult Evaluate(Inquiry answers)
    {
        ArgumentNullException.ThrowIfNull(answers);
        var found = Rules.Where(rule => rule.Applies(answers)).ToList();
        if (found.Count == 0)
        {
            return new ScreeningResult(ScreeningOutcome.LikelyEligible, []);
        }

        // A stable sort keeps the questions' order within each level.
        var ordered = found.OrderByDescending(rule => rule.Outcome).ToList();
        return new ScreeningResult(ordered[0].Outcome, [.. ordered.Select(ReasonText)]);
    }

    /// <summary>A rule's reason as the practitioner reads it and as it is stored: its outcome, then why.</summary>
    public static string ReasonText(ScreeningRule rule)
    {
        ArgumentNullException.ThrowIfNull(rule);
        return $"{Labels.For(rule.Outcome)}: {rule.Reason}";
    }

    private static ScreeningRule One<T>(string question, Func<Inquiry, T?> answerOf, T answer, ScreeningOutcome outcome, string reason, (string Text, Func<Inquiry, bool> Holds)? condition = null)
        where T : struct, Enum =>
        new(question, answer, outcome, reason, condition?.Text,
            inquiry => EqualityComparer<T?>.Default.Equals(answerOf(inquiry), answer) && (condition?.Holds(inquiry) ?? true));

    private static ScreeningRule Ticked(Medication medication, string reason) =>
        new(nameof(Inquiry.Medications), medication, Review, reason, null, inquiry => inquiry.Medications.Contains(medication));
}
