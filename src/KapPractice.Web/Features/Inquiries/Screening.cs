using KapPractice.Web.Domain;

namespace KapPractice.Web.Features.Inquiries;

/// <summary>The screening of one inquiry: the most serious outcome and every reason behind it, most serious first.</summary>
public sealed record ScreeningResult(ScreeningOutcome Outcome, IReadOnlyList<string> Reasons);

/// <summary>
/// Sorts inquiries for the practitioner (SPEC §3). It never decides eligibility: a prescriber does,
/// and the client is never shown the result.
/// </summary>
public static class Screening
{
    public static ScreeningResult Evaluate(Inquiry answers)
    {
        ArgumentNullException.ThrowIfNull(answers);
        List<(ScreeningOutcome Outcome, string Reason)> found = [];
        void Flag(bool applies, ScreeningOutcome outcome, string reason)
        {
            if (applies)
            {
                found.Add((outcome, reason));
            }
        }

        const ScreeningOutcome Urgent = ScreeningOutcome.Urgent;
        const ScreeningOutcome NotAFit = ScreeningOutcome.LikelyNotAFitNow;
        const ScreeningOutcome Review = ScreeningOutcome.NeedsMedicalReview;

        Flag(answers.SelfHarmThoughts == YesNo.Yes, Urgent, "Having thoughts of harming themselves or ending their life right now.");

        Flag(answers.Adult == YesNo.No, NotAFit, "Under 18.");
        Flag(answers.InNewYork == YesNoNotSure.No, NotAFit, "Will not be in New York State during sessions.");
        Flag(answers.InNewYork == YesNoNotSure.NotSure, Review, "Not sure whether they will be in New York State during sessions.");

        Flag(answers.PsychoticDisorder == YesNoNotSure.Yes, NotAFit, "Diagnosed psychotic disorder.");
        Flag(answers.PsychoticDisorder == YesNoNotSure.NotSure, Review, "Not sure about a psychotic disorder diagnosis.");

        var bipolarAsked = answers.Bipolar != YesNoNotSure.No;
        Flag(bipolarAsked && answers.ManicOrMixedEpisode == YesNoNotSure.Yes, NotAFit, "In a manic or mixed episode now.");
        Flag(bipolarAsked && answers.ManicOrMixedEpisode == YesNoNotSure.NotSure, Review, "Not sure whether they are in a manic or mixed episode now.");
        Flag(answers.Bipolar == YesNoNotSure.Yes && answers.ManicOrMixedEpisode == YesNoNotSure.No, Review, "Bipolar disorder, no current manic or mixed episode.");
        Flag(answers.Bipolar == YesNoNotSure.NotSure, Review, "Not sure about a bipolar disorder diagnosis.");

        Flag(answers.PregnantOrBreastfeeding == YesNoNotSure.Yes, Review, "Pregnant, trying to conceive or breastfeeding.");
        Flag(answers.PregnantOrBreastfeeding == YesNoNotSure.NotSure, Review, "Not sure about pregnancy, trying to conceive or breastfeeding.");

        Flag(answers.BloodPressure == BloodPressure.HighAndNotControlled, NotAFit, "High blood pressure that is not controlled.");
        Flag(answers.BloodPressure == BloodPressure.TreatedAndControlled, Review, "High blood pressure, treated and controlled.");
        Flag(answers.BloodPressure == BloodPressure.NotSure, Review, "Not sure about their blood pressure.");

        Flag(answers.AneurysmOrStroke == YesNoNotSure.Yes, NotAFit, "Aneurysm, AVM, brain bleed or stroke.");
        Flag(answers.AneurysmOrStroke == YesNoNotSure.NotSure, Review, "Not sure about an aneurysm, AVM, brain bleed or stroke.");

        Flag(answers.OtherHeartDisease == YesNoNotSure.Yes, Review, "Other heart disease.");
        Flag(answers.OtherHeartDisease == YesNoNotSure.NotSure, Review, "Not sure about other heart disease.");

        Flag(answers.EyeOrSkullPressure == PressureControl.NotControlled, NotAFit, "Glaucoma or raised eye or skull pressure that is not controlled.");
        Flag(answers.EyeOrSkullPressure == PressureControl.Controlled, Review, "Glaucoma or raised eye or skull pressure, controlled.");

        Flag(answers.BreathingProblems == Severity.Severe, NotAFit, "Severe breathing problems or sleep apnea.");
        Flag(answers.BreathingProblems == Severity.Mild, Review, "Mild breathing problems or sleep apnea.");

        Flag(answers.LiverBladderOrThyroid == YesNoNotSure.Yes, Review, "Liver disease, bladder or urinary problems, or an overactive thyroid.");
        Flag(answers.LiverBladderOrThyroid == YesNoNotSure.NotSure, Review, "Not sure about liver disease, bladder or urinary problems, or an overactive thyroid.");

        Flag(answers.SubstanceUse == SubstanceUse.CurrentlyAProblem, NotAFit, "Alcohol or drug use is currently a problem.");
        Flag(answers.SubstanceUse == SubstanceUse.InRecovery, Review, "In recovery from alcohol or drug use.");

        Flag(answers.KetamineHistory == KetamineHistory.AllergyOrBadReaction, NotAFit, "Allergy or bad reaction to ketamine.");
        Flag(answers.KetamineHistory == KetamineHistory.UsedWithoutProblems, Review, "Has used ketamine before, without problems.");
        Flag(answers.KetamineHistory == KetamineHistory.Misuse, Review, "Has misused ketamine.");

        foreach (var medication in answers.Medications.Distinct().Where(m => m != Medication.NoneOfThese).Order())
        {
            Flag(true, Review, medication == Medication.Other
                ? "Takes another medication (see their answer)."
                : $"Takes {MedicationName(medication)}.");
        }

        Flag(answers.Prescriber == Prescriber.Neither, Review, "Has no psychiatric prescriber or primary-care doctor.");

        Flag(answers.WillingMedicalEvaluation == YesNoNotSure.No, NotAFit, "Declines a medical evaluation.");
        Flag(answers.WillingMedicalEvaluation == YesNoNotSure.NotSure, Review, "Not sure about having a medical evaluation.");

        if (found.Count == 0)
        {
            return new ScreeningResult(ScreeningOutcome.LikelyEligible, []);
        }

        // A stable sort keeps the questions' order within each level.
        var ordered = found.OrderByDescending(f => f.Outcome).ToList();
        return new ScreeningResult(ordered[0].Outcome, [.. ordered.Select(f => $"{Labels.For(f.Outcome)}: {f.Reason}")]);
    }

    private static string MedicationName(Medication medication) => medication switch
    {
        Medication.Benzodiazepines => "benzodiazepines",
        Medication.Stimulants => "stimulants",
        Medication.Opioids => "opioids",
        Medication.Maois => "an MAOI",
        Medication.Lamotrigine => "lamotrigine",
        _ => medication.ToString(),
    };
}
