namespace KapPractice.Web.Domain;

/// <summary>
/// The form's choice questions as the client reads them, named by the answer they fill. The form shows
/// them, and docs/screening.md quotes them (its test compares).
/// </summary>
public static class InquiryQuestions
{
    public const string PreferredContact = "How would you like to be contacted?";
    public const string VoicemailOk = "May we leave a voicemail?";
    public const string Adult = "Are you 18 or older?";
    public const string InNewYork = "Will you be physically in New York State during sessions?";
    public const string SessionPreference = "How would you like to meet?";
    public const string Concerns = "What would you like help with?";
    public const string TreatmentsTried = "Which treatments have you tried?";
    public const string SelfHarmThoughts = "Right now, are you having thoughts of harming yourself or ending your life?";
    public const string PsychoticDisorder = "Have you been diagnosed with a psychotic disorder, such as schizophrenia or schizoaffective disorder?";
    public const string Bipolar = "Have you been diagnosed with bipolar disorder?";
    public const string ManicOrMixedEpisode = "Are you in a manic or mixed episode now?";
    public const string PregnantOrBreastfeeding = "Are you pregnant, trying to conceive or breastfeeding?";
    public const string BloodPressure = "Do you have high blood pressure?";
    public const string AneurysmOrStroke = "Have you had an aneurysm, AVM, brain bleed or stroke?";
    public const string OtherHeartDisease = "Do you have any other heart disease?";
    public const string EyeOrSkullPressure = "Do you have glaucoma or raised pressure in the eye or skull?";
    public const string BreathingProblems = "Do you have serious breathing problems or sleep apnea?";
    public const string LiverBladderOrThyroid = "Do you have liver disease, bladder or urinary problems, or an overactive thyroid?";
    public const string SubstanceUse = "Which best describes your alcohol or drug use?";
    public const string KetamineHistory = "Have you taken ketamine before?";
    public const string Medications = "Do you take any of these medications now?";
    public const string Prescriber = "Do you have a prescriber or primary-care doctor?";
    public const string WillingMedicalEvaluation = "Are you willing to have a medical evaluation with a prescriber?";
}
