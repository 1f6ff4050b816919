using KapPractice.Web.Features.Inquiries;
using KapPractice.Web.Domain;

namespace KapPractice.UnitTests.Features.Inquiries;

public sealed class ScreeningTests
{
    /// <summary>Each case's answers, typed on the form; the key is only the case's name in the test list.</summary>
    private static readonly Dictionary<string, Action<InquiryForm>> Answers = new()
    {
        ["SelfHarmThoughts=Yes"] = i => i.SelfHarmThoughts = YesNo.Yes,
        ["Adult=No"] = i => i.Adult = YesNo.No,
        ["InNewYork=No"] = i => i.InNewYork = YesNoNotSure.No,
        ["PsychoticDisorder=Yes"] = i => i.PsychoticDisorder = YesNoNotSure.Yes,
        ["Bipolar=Yes; ManicOrMixedEpisode=Yes"] = i => { i.Bipolar = YesNoNotSure.Yes; i.ManicOrMixedEpisode = YesNoNotSure.Yes; },
        ["BloodPressure=HighAndNotControlled"] = i => i.BloodPressure = BloodPressure.HighAndNotControlled,
        ["AneurysmOrStroke=Yes"] = i => i.AneurysmOrStroke = YesNoNotSure.Yes,
        ["EyeOrSkullPressure=NotControlled"] = i => i.EyeOrSkullPressure = PressureControl.NotControlled,
        ["BreathingProblems=Severe"] = i => i.BreathingProblems = Severity.Severe,
        ["SubstanceUse=CurrentlyAProblem"] = i => i.SubstanceUse = SubstanceUse.CurrentlyAProblem,
        ["KetamineHistory=AllergyOrBadReaction"] = i => i.KetamineHistory = KetamineHistory.AllergyOrBadReaction,
        ["WillingMedicalEvaluation=No"] = i => i.WillingMedicalEvaluation = YesNoNotSure.No,
        ["SubstanceUseLastProblem=WithinThreeMonths"] = i => i.SubstanceUseLastProblem = SubstanceUseLastProblem.WithinThreeMonths,
        ["InNewYork=NotSure"] = i => i.InNewYork = YesNoNotSure.NotSure,
        ["PregnantOrBreastfeeding=Yes"] = i => i.PregnantOrBreastfeeding = YesNoNotSure.Yes,
        ["PregnantOrBreastfeeding=NotSure"] = i => i.PregnantOrBreastfeeding = YesNoNotSure.NotSure,
        ["BloodPressure=TreatedAndControlled"] = i => i.BloodPressure = BloodPressure.TreatedAndControlled,
        ["BloodPressure=NotSure"] = i => i.BloodPressure = BloodPressure.NotSure,
        ["OtherHeartDisease=Yes"] = i => i.OtherHeartDisease = YesNoNotSure.Yes,
        ["OtherHeartDisease=NotSure"] = i => i.OtherHeartDisease = YesNoNotSure.NotSure,
        ["EyeOrSkullPressure=Controlled"] = i => i.EyeOrSkullPressure = PressureControl.Controlled,
        ["BreathingProblems=Mild"] = i => i.BreathingProblems = Severity.Mild,
        ["LiverBladderOrThyroid=Yes"] = i => i.LiverBladderOrThyroid = YesNoNotSure.Yes,
        ["LiverBladderOrThyroid=NotSure"] = i => i.LiverBladderOrThyroid = YesNoNotSure.NotSure,
        ["SubstanceUse=InRecovery"] = i => i.SubstanceUse = SubstanceUse.InRecovery,
        ["KetamineHistory=UsedWithoutProblems"] = i => i.KetamineHistory = KetamineHistory.UsedWithoutProblems,
        ["KetamineHistory=Misuse"] = i => i.KetamineHistory = KetamineHistory.Misuse,
        ["Bipolar=Yes; ManicOrMixedEpisode=No"] = i => { i.Bipolar = YesNoNotSure.Yes; i.ManicOrMixedEpisode = YesNoNotSure.No; },
        ["Bipolar=Yes; ManicOrMixedEpisode=NotSure"] = i => { i.Bipolar = YesNoNotSure.Yes; i.ManicOrMixedEpisode = YesNoNotSure.NotSure; },
        ["Bipolar=NotSure; ManicOrMixedEpisode=No"] = i => { i.Bipolar = YesNoNotSure.NotSure; i.ManicOrMixedEpisode = YesNoNotSure.No; },
        ["Medications=Benzodiazepines"] = i => i.Medications = [Medication.Benzodiazepines],
        ["Medications=Stimulants"] = i => i.Medications = [Medication.Stimulants],
        ["Medications=Opioids"] = i => i.Medications = [Medication.Opioids],
        ["Medications=Maois"] = i => i.Medications = [Medication.Maois],
        ["Medications=Lamotrigine"] = i => i.Medications = [Medication.Lamotrigine],
        ["Medications=Other; MedicationOther=Lithium"] = i => { i.Medications = [Medication.Other]; i.MedicationOther = "Lithium"; },
        ["Prescriber=Neither"] = i => i.Prescriber = Prescriber.Neither,
        ["SeizuresOrEpilepsy=Yes"] = i => i.SeizuresOrEpilepsy = YesNoNotSure.Yes,
        ["SeizuresOrEpilepsy=NotSure"] = i => i.SeizuresOrEpilepsy = YesNoNotSure.NotSure,
        ["DissociativeDisorder=Yes"] = i => i.DissociativeDisorder = YesNoNotSure.Yes,
        ["DissociativeDisorder=NotSure"] = i => i.DissociativeDisorder = YesNoNotSure.NotSure,
        ["FamilyPsychoticDisorder=Yes"] = i => i.FamilyPsychoticDisorder = YesNoNotSure.Yes,
        ["FamilyPsychoticDisorder=NotSure"] = i => i.FamilyPsychoticDisorder = YesNoNotSure.NotSure,
        ["Medications=Gabapentinoids"] = i => i.Medications = [Medication.Gabapentinoids],
        ["SubstanceUseLastProblem=ThreeToTwelveMonthsAgo"] = i => i.SubstanceUseLastProblem = SubstanceUseLastProblem.ThreeToTwelveMonthsAgo,
        ["SubstanceUseLastProblem=MoreThanAYearAgo"] = i => i.SubstanceUseLastProblem = SubstanceUseLastProblem.MoreThanAYearAgo,
        ["SubstanceUseLastProblem=NotSure"] = i => i.SubstanceUseLastProblem = SubstanceUseLastProblem.NotSure,
        ["PsychoticDisorder=NotSure"] = i => i.PsychoticDisorder = YesNoNotSure.NotSure,
        ["AneurysmOrStroke=NotSure"] = i => i.AneurysmOrStroke = YesNoNotSure.NotSure,
        ["WillingMedicalEvaluation=NotSure"] = i => i.WillingMedicalEvaluation = YesNoNotSure.NotSure,
        ["SubstanceUse=InRecovery; SubstanceUseLastProblem=WithinThreeMonths"] = i => { i.SubstanceUse = SubstanceUse.InRecovery; i.SubstanceUseLastProblem = SubstanceUseLastProblem.WithinThreeMonths; },
        ["SubstanceUse=InRecovery; SubstanceUseLastProblem=MoreThanAYearAgo"] = i => { i.SubstanceUse = SubstanceUse.InRecovery; i.SubstanceUseLastProblem = SubstanceUseLastProblem.MoreThanAYearAgo; },
        ["SeizuresOrEpilepsy=Yes; BreathingProblems=Severe"] = i => { i.SeizuresOrEpilepsy = YesNoNotSure.Yes; i.BreathingProblems = Severity.Severe; },
        ["FamilyPsychoticDisorder=Yes; SelfHarmThoughts=Yes"] = i => { i.FamilyPsychoticDisorder = YesNoNotSure.Yes; i.SelfHarmThoughts = YesNo.Yes; },
        ["SelfHarmThoughts=Yes; Adult=No; Medications=Opioids"] = i => { i.SelfHarmThoughts = YesNo.Yes; i.Adult = YesNo.No; i.Medications = [Medication.Opioids]; },
        ["SelfHarmThoughts=Yes; Prescriber=Neither"] = i => { i.SelfHarmThoughts = YesNo.Yes; i.Prescriber = Prescriber.Neither; },
        ["InNewYork=No; BreathingProblems=Mild; KetamineHistory=Misuse"] = i => { i.InNewYork = YesNoNotSure.No; i.BreathingProblems = Severity.Mild; i.KetamineHistory = KetamineHistory.Misuse; },
        ["BreathingProblems=Mild; Prescriber=Neither"] = i => { i.BreathingProblems = Severity.Mild; i.Prescriber = Prescriber.Neither; },
        ["Bipolar=NotSure; ManicOrMixedEpisode=Yes"] = i => { i.Bipolar = YesNoNotSure.NotSure; i.ManicOrMixedEpisode = YesNoNotSure.Yes; },
    };

    /// <summary>The later questions answered no or never, or not asked at all (an inquiry sent before the form asked them), on the stored inquiry.</summary>
    private static readonly Dictionary<string, Action<Inquiry>> LaterAnswers = new()
    {
        ["SeizuresOrEpilepsy=No; DissociativeDisorder=No; FamilyPsychoticDisorder=No; SubstanceUseLastProblem=Never"] = i => { i.SeizuresOrEpilepsy = YesNoNotSure.No; i.DissociativeDisorder = YesNoNotSure.No; i.FamilyPsychoticDisorder = YesNoNotSure.No; i.SubstanceUseLastProblem = SubstanceUseLastProblem.Never; },
        ["SeizuresOrEpilepsy=null; DissociativeDisorder=null; FamilyPsychoticDisorder=null; SubstanceUseLastProblem=null"] = i => { i.SeizuresOrEpilepsy = null; i.DissociativeDisorder = null; i.FamilyPsychoticDisorder = null; i.SubstanceUseLastProblem = null; },
    };

    [Fact]
    public void Answers_that_raise_nothing_are_likely_eligible_with_no_reasons()
    {
        var result = Screening.Evaluate(ValidInquiry.Entity());

        Assert.Equal(ScreeningOutcome.LikelyEligible, result.Outcome);
        Assert.Empty(result.Reasons);
    }

    [Theory]
    // Urgent
    [InlineData("SelfHarmThoughts=Yes", ScreeningOutcome.Urgent, "thoughts of harming themselves")]
    // Likely not a fit now
    [InlineData("Adult=No", ScreeningOutcome.LikelyNotAFitNow, "Under 18")]
    [InlineData("InNewYork=No", ScreeningOutcome.LikelyNotAFitNow, "Will not be in New York")]
    [InlineData("PsychoticDisorder=Yes", ScreeningOutcome.LikelyNotAFitNow, "psychotic disorder")]
    [InlineData("Bipolar=Yes; ManicOrMixedEpisode=Yes", ScreeningOutcome.LikelyNotAFitNow, "In a manic or mixed episode now")]
    [InlineData("BloodPressure=HighAndNotControlled", ScreeningOutcome.LikelyNotAFitNow, "blood pressure that is not controlled")]
    [InlineData("AneurysmOrStroke=Yes", ScreeningOutcome.LikelyNotAFitNow, "Aneurysm, AVM, brain bleed or stroke")]
    [InlineData("EyeOrSkullPressure=NotControlled", ScreeningOutcome.LikelyNotAFitNow, "not controlled")]
    [InlineData("BreathingProblems=Severe", ScreeningOutcome.LikelyNotAFitNow, "Severe breathing problems")]
    [InlineData("SubstanceUse=CurrentlyAProblem", ScreeningOutcome.LikelyNotAFitNow, "currently a problem")]
    [InlineData("KetamineHistory=AllergyOrBadReaction", ScreeningOutcome.LikelyNotAFitNow, "Allergy or bad reaction to ketamine")]
    [InlineData("WillingMedicalEvaluation=No", ScreeningOutcome.LikelyNotAFitNow, "Declines a medical evaluation")]
    [InlineData("SubstanceUseLastProblem=WithinThreeMonths", ScreeningOutcome.LikelyNotAFitNow, "last a problem less than 3 months ago")]
    // Needs medical review
    [InlineData("InNewYork=NotSure", ScreeningOutcome.NeedsMedicalReview, "Not sure whether they will be in New York")]
    [InlineData("PregnantOrBreastfeeding=Yes", ScreeningOutcome.NeedsMedicalReview, "Pregnant, trying to conceive or breastfeeding")]
    [InlineData("PregnantOrBreastfeeding=NotSure", ScreeningOutcome.NeedsMedicalReview, "Not sure about pregnancy")]
    [InlineData("BloodPressure=TreatedAndControlled", ScreeningOutcome.NeedsMedicalReview, "treated and controlled")]
    [InlineData("BloodPressure=NotSure", ScreeningOutcome.NeedsMedicalReview, "Not sure about their blood pressure")]
    [InlineData("OtherHeartDisease=Yes", ScreeningOutcome.NeedsMedicalReview, "Other heart disease")]
    [InlineData("OtherHeartDisease=NotSure", ScreeningOutcome.NeedsMedicalReview, "Not sure about other heart disease")]
    [InlineData("EyeOrSkullPressure=Controlled", ScreeningOutcome.NeedsMedicalReview, "pressure, controlled")]
    [InlineData("BreathingProblems=Mild", ScreeningOutcome.NeedsMedicalReview, "Mild breathing problems")]
    [InlineData("LiverBladderOrThyroid=Yes", ScreeningOutcome.NeedsMedicalReview, "Liver disease, bladder or urinary problems, or an overactive thyroid")]
    [InlineData("LiverBladderOrThyroid=NotSure", ScreeningOutcome.NeedsMedicalReview, "Not sure about liver disease")]
    [InlineData("SubstanceUse=InRecovery", ScreeningOutcome.NeedsMedicalReview, "In recovery")]
    [InlineData("KetamineHistory=UsedWithoutProblems", ScreeningOutcome.NeedsMedicalReview, "used ketamine before")]
    [InlineData("KetamineHistory=Misuse", ScreeningOutcome.NeedsMedicalReview, "misused ketamine")]
    [InlineData("Bipolar=Yes; ManicOrMixedEpisode=No", ScreeningOutcome.NeedsMedicalReview, "Bipolar disorder, no current manic or mixed episode")]
    [InlineData("Bipolar=Yes; ManicOrMixedEpisode=NotSure", ScreeningOutcome.NeedsMedicalReview, "Not sure whether they are in a manic or mixed episode")]
    [InlineData("Bipolar=NotSure; ManicOrMixedEpisode=No", ScreeningOutcome.NeedsMedicalReview, "Not sure about a bipolar disorder diagnosis")]
    [InlineData("Medications=Benzodiazepines", ScreeningOutcome.NeedsMedicalReview, "Takes benzodiazepines")]
    [InlineData("Medications=Stimulants", ScreeningOutcome.NeedsMedicalReview, "Takes stimulants")]
    [InlineData("Medications=Opioids", ScreeningOutcome.NeedsMedicalReview, "Takes opioids")]
    [InlineData("Medications=Maois", ScreeningOutcome.NeedsMedicalReview, "Takes an MAOI")]
    [InlineData("Medications=Lamotrigine", ScreeningOutcome.NeedsMedicalReview, "Takes lamotrigine")]
    [InlineData("Medications=Other; MedicationOther=Lithium", ScreeningOutcome.NeedsMedicalReview, "Takes another medication")]
    [InlineData("Prescriber=Neither", ScreeningOutcome.NeedsMedicalReview, "no psychiatric prescriber or primary-care doctor")]
    [InlineData("SeizuresOrEpilepsy=Yes", ScreeningOutcome.NeedsMedicalReview, "Has had a seizure or has epilepsy")]
    [InlineData("SeizuresOrEpilepsy=NotSure", ScreeningOutcome.NeedsMedicalReview, "Not sure about seizures or epilepsy")]
    [InlineData("DissociativeDisorder=Yes", ScreeningOutcome.NeedsMedicalReview, "Diagnosed dissociative disorder")]
    [InlineData("DissociativeDisorder=NotSure", ScreeningOutcome.NeedsMedicalReview, "Not sure about a dissociative disorder")]
    [InlineData("FamilyPsychoticDisorder=Yes", ScreeningOutcome.NeedsMedicalReview, "A parent, sibling or child has a psychotic disorder")]
    [InlineData("FamilyPsychoticDisorder=NotSure", ScreeningOutcome.NeedsMedicalReview, "Not sure whether a parent, sibling or child has a psychotic disorder")]
    [InlineData("Medications=Gabapentinoids", ScreeningOutcome.NeedsMedicalReview, "Takes gabapentin or pregabalin")]
    [InlineData("SubstanceUseLastProblem=ThreeToTwelveMonthsAgo", ScreeningOutcome.NeedsMedicalReview, "last a problem 3 months to a year ago")]
    [InlineData("SubstanceUseLastProblem=MoreThanAYearAgo", ScreeningOutcome.NeedsMedicalReview, "last a problem more than a year ago")]
    [InlineData("SubstanceUseLastProblem=NotSure", ScreeningOutcome.NeedsMedicalReview, "Not sure when alcohol or drug use was last a problem")]
    // "Not sure" about a condition that rules KAP out is for a prescriber to look at.
    [InlineData("PsychoticDisorder=NotSure", ScreeningOutcome.NeedsMedicalReview, "Not sure about a psychotic disorder")]
    [InlineData("AneurysmOrStroke=NotSure", ScreeningOutcome.NeedsMedicalReview, "Not sure about an aneurysm")]
    [InlineData("WillingMedicalEvaluation=NotSure", ScreeningOutcome.NeedsMedicalReview, "Not sure about having a medical evaluation")]
    public void Each_rule_gives_its_outcome_and_a_reason_the_practitioner_can_read(string changes, ScreeningOutcome expected, string reason)
    {
        var result = Screening.Evaluate(ValidInquiry.Entity(Answers[changes]));

        Assert.Equal(expected, result.Outcome);
        var only = Assert.Single(result.Reasons);
        Assert.Contains(reason, only, StringComparison.OrdinalIgnoreCase);
        Assert.StartsWith(Labels.For(expected) + ":", only, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(Prescriber.PrimaryCareOnly)]
    [InlineData(Prescriber.PsychiatricPrescriber)]
    public void Having_a_prescriber_or_primary_care_doctor_raises_nothing(Prescriber prescriber)
    {
        var result = Screening.Evaluate(ValidInquiry.Entity(i => i.Prescriber = prescriber));

        Assert.Equal(ScreeningOutcome.LikelyEligible, result.Outcome);
    }

    [Fact]
    public void A_manic_episode_answer_left_over_from_a_no_to_bipolar_is_ignored()
    {
        var inquiry = ValidInquiry.Entity(i => i.Bipolar = YesNoNotSure.No);
        inquiry.ManicOrMixedEpisode = YesNoNotSure.Yes;

        Assert.Equal(ScreeningOutcome.LikelyEligible, Screening.Evaluate(inquiry).Outcome);
    }

    [Theory]
    [InlineData("SeizuresOrEpilepsy=No; DissociativeDisorder=No; FamilyPsychoticDisorder=No; SubstanceUseLastProblem=Never")]
    // An inquiry sent before the form asked these questions has no answer to them.
    [InlineData("SeizuresOrEpilepsy=null; DissociativeDisorder=null; FamilyPsychoticDisorder=null; SubstanceUseLastProblem=null")]
    public void No_never_or_not_asked_to_the_later_questions_raises_nothing(string changes)
    {
        var inquiry = ValidInquiry.Entity().With(LaterAnswers[changes]);

        var result = Screening.Evaluate(inquiry);

        Assert.Equal(ScreeningOutcome.LikelyEligible, result.Outcome);
        Assert.Empty(result.Reasons);
    }

    [Fact]
    public void When_use_was_last_a_problem_is_not_read_when_it_is_a_problem_right_now()
    {
        var inquiry = ValidInquiry.Entity(i => i.SubstanceUse = SubstanceUse.CurrentlyAProblem);
        inquiry.SubstanceUseLastProblem = SubstanceUseLastProblem.MoreThanAYearAgo;

        Assert.Equal(["Likely not a fit now: Alcohol or drug use is currently a problem."], Screening.Evaluate(inquiry).Reasons);
    }

    [Theory]
    [InlineData("SubstanceUse=InRecovery; SubstanceUseLastProblem=WithinThreeMonths", ScreeningOutcome.LikelyNotAFitNow)]
    [InlineData("SubstanceUse=InRecovery; SubstanceUseLastProblem=MoreThanAYearAgo", ScreeningOutcome.NeedsMedicalReview)]
    [InlineData("SeizuresOrEpilepsy=Yes; BreathingProblems=Severe", ScreeningOutcome.LikelyNotAFitNow)]
    [InlineData("FamilyPsychoticDisorder=Yes; SelfHarmThoughts=Yes", ScreeningOutcome.Urgent)]
    public void The_later_questions_join_the_others_and_the_most_serious_outcome_wins(string changes, ScreeningOutcome expected)
    {
        Assert.Equal(expected, Screening.Evaluate(ValidInquiry.Entity(Answers[changes])).Outcome);
    }

    [Theory]
    [InlineData("SelfHarmThoughts=Yes; Adult=No; Medications=Opioids", ScreeningOutcome.Urgent)]
    [InlineData("SelfHarmThoughts=Yes; Prescriber=Neither", ScreeningOutcome.Urgent)]
    [InlineData("InNewYork=No; BreathingProblems=Mild; KetamineHistory=Misuse", ScreeningOutcome.LikelyNotAFitNow)]
    [InlineData("BreathingProblems=Mild; Prescriber=Neither", ScreeningOutcome.NeedsMedicalReview)]
    [InlineData("Bipolar=NotSure; ManicOrMixedEpisode=Yes", ScreeningOutcome.LikelyNotAFitNow)]
    public void The_most_serious_outcome_wins(string changes, ScreeningOutcome expected)
    {
        Assert.Equal(expected, Screening.Evaluate(ValidInquiry.Entity(Answers[changes])).Outcome);
    }

    [Fact]
    public void Every_reason_that_applies_is_kept_most_serious_first()
    {
        var inquiry = ValidInquiry.Entity(i =>
        {
            i.Prescriber = Prescriber.Neither;
            i.SelfHarmThoughts = YesNo.Yes;
            i.Adult = YesNo.No;
            i.InNewYork = YesNoNotSure.NotSure;
            i.Medications = [Medication.Opioids, Medication.Lamotrigine];
            i.BreathingProblems = Severity.Severe;
        });

        var result = Screening.Evaluate(inquiry);

        Assert.Equal(ScreeningOutcome.Urgent, result.Outcome);
        Assert.Equal(
            [
                "Urgent: Having thoughts of harming themselves or ending their life right now.",
                "Likely not a fit now: Under 18.",
                "Likely not a fit now: Severe breathing problems or sleep apnea.",
                "Needs medical review: Not sure whether they will be in New York State during sessions.",
                "Needs medical review: Takes opioids.",
                "Needs medical review: Takes lamotrigine.",
                "Needs medical review: Has no psychiatric prescriber or primary-care doctor.",
            ],
            result.Reasons);
    }
}
