namespace KapPractice.Web.Domain;

// The answer sets of the inquiry form. Stored by name, so adding a member never needs a migration
// and the database reads plainly.

public enum YesNo { Yes, No }

public enum YesNoNotSure { Yes, No, NotSure }

public enum ContactMethod { Email, Phone, Either }

public enum SessionFormat { InPerson, Telehealth, Either }

public enum Concern { Depression, PtsdOrTrauma, Anxiety, Ocd, Grief, Other }

public enum Treatment { TalkTherapy, Antidepressants, OtherPsychiatricMedication, TmsOrEct, KetamineOrEsketamine, None }

public enum BloodPressure { No, TreatedAndControlled, HighAndNotControlled, NotSure }

public enum PressureControl { No, Controlled, NotControlled }

public enum Severity { No, Mild, Severe }

public enum SubstanceUse { NoConcern, InRecovery, CurrentlyAProblem }

public enum SubstanceUseLastProblem { Never, MoreThanAYearAgo, ThreeToTwelveMonthsAgo, WithinThreeMonths, NotSure }

public enum KetamineHistory { Never, UsedWithoutProblems, AllergyOrBadReaction, Misuse }

// Stored by name, so a new medication goes where the form should list it.
public enum Medication { Benzodiazepines, Stimulants, Opioids, Maois, Lamotrigine, Gabapentinoids, NoneOfThese, Other }

public enum Prescriber { PsychiatricPrescriber, PrimaryCareOnly, Neither }

public enum ScreeningOutcome
{
    // Ordered from least to most serious: the most serious outcome wins.
    LikelyEligible = 0,
    NeedsMedicalReview = 1,
    LikelyNotAFitNow = 2,
    Urgent = 3,
}

public enum InquiryStatus { New, Contacted, ConsultationBooked, ReferredOut, Closed }
