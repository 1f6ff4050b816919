using System.Text;

namespace KapPractice.Web.Domain;

/// <summary>One answer as the practitioner reads it: the question and a readable value.</summary>
public sealed record Answer(string Question, string Value);

/// <summary>Answers in the groups the form asks them in.</summary>
public sealed record AnswerGroup(string Title, IReadOnlyList<Answer> Answers);

/// <summary>
/// Turns an inquiry into readable questions and answers, grouped as on the form. The admin page, the
/// CSV export and the practitioner's email all read it, so they always show the same answers with the same labels.
/// </summary>
public static class AnswerSheet
{
    public const string ListSeparator = "; ";

    public static IReadOnlyList<AnswerGroup> For(Inquiry inquiry)
    {
        ArgumentNullException.ThrowIfNull(inquiry);
        return
        [
            new("Contact",
            [
                new("Full name", inquiry.FullName),
                new("Pronouns", Text(inquiry.Pronouns)),
                new("Email", inquiry.Email),
                new("Phone", Text(inquiry.Phone)),
                new("Preferred contact method", Labels.For(inquiry.PreferredContact)),
                new("May we leave a voicemail", Labels.For(inquiry.VoicemailOk)),
            ]),
            new("Basics",
            [
                new("18 or older", Labels.For(inquiry.Adult)),
                new("In New York State during sessions", Labels.For(inquiry.InNewYork)),
                new("Session preference", Labels.For(inquiry.SessionPreference)),
            ]),
            new("What brings you",
            [
                new("Concerns", List(inquiry.Concerns)),
                new("Other concern", Text(inquiry.ConcernOther)),
                new("Treatments tried", List(inquiry.TreatmentsTried)),
                new("Message", Text(inquiry.Message)),
            ]),
            new("Safety",
            [
                new("Current thoughts of harming themself or ending their life", Labels.For(inquiry.SelfHarmThoughts)),
            ]),
            new("Medical screening",
            [
                new("Diagnosed psychotic disorder", Labels.For(inquiry.PsychoticDisorder)),
                new("Bipolar disorder", Labels.For(inquiry.Bipolar)),
                new("Current manic or mixed episode", inquiry.ManicOrMixedEpisode is { } episode ? Labels.For(episode) : "Not asked"),
                new("Pregnant, trying to conceive or breastfeeding", Labels.For(inquiry.PregnantOrBreastfeeding)),
                new("Blood pressure", Labels.For(inquiry.BloodPressure)),
                new("Aneurysm, AVM, brain bleed or stroke", Labels.For(inquiry.AneurysmOrStroke)),
                new("Other heart disease", Labels.For(inquiry.OtherHeartDisease)),
                new("Glaucoma or raised pressure in the eye or skull", Labels.For(inquiry.EyeOrSkullPressure)),
                new("Serious breathing problems or sleep apnea", Labels.For(inquiry.BreathingProblems)),
                new("Liver disease, bladder or urinary problems, overactive thyroid", Labels.For(inquiry.LiverBladderOrThyroid)),
                new("Alcohol or drug use", Labels.For(inquiry.SubstanceUse)),
                new("Ketamine before", Labels.For(inquiry.KetamineHistory)),
                new("Current medications", List(inquiry.Medications)),
                new("Other medication", Text(inquiry.MedicationOther)),
                new("Prescriber or primary-care doctor", Labels.For(inquiry.Prescriber)),
                new("Willing to have a medical evaluation", Labels.For(inquiry.WillingMedicalEvaluation)),
            ]),
            new("Consents",
            [
                new("All five consents given", Labels.Utc(inquiry.ConsentsGivenUtc)),
            ]),
        ];
    }

    private static string Text(string? value) => string.IsNullOrWhiteSpace(value) ? "Not given" : value;

    private static string List<T>(IReadOnlyCollection<T> values)
        where T : struct, Enum =>
        values.Count == 0 ? "None selected" : string.Join(ListSeparator, values.Select(v => Labels.For(v)));
}

/// <summary>Readable labels for stored answer and state names.</summary>
public static class Labels
{
    private static readonly Dictionary<string, string> Overrides = new(StringComparer.Ordinal)
    {
        ["NotSure"] = "Not sure",
        ["PtsdOrTrauma"] = "PTSD or trauma",
        ["Ocd"] = "OCD",
        ["TmsOrEct"] = "TMS or ECT",
        ["KetamineOrEsketamine"] = "Ketamine or esketamine",
        ["Maois"] = "MAOIs",
        ["NoneOfThese"] = "None of these",
        ["InPerson"] = "In person",
        ["HighAndNotControlled"] = "High and not controlled",
        ["TreatedAndControlled"] = "Treated and controlled",
        ["NotControlled"] = "Not controlled",
        ["NoConcern"] = "No concern",
        ["InRecovery"] = "In recovery",
        ["CurrentlyAProblem"] = "Currently a problem",
        ["UsedWithoutProblems"] = "Used without problems",
        ["AllergyOrBadReaction"] = "An allergy or bad reaction",
        ["PsychiatricPrescriber"] = "Psychiatric prescriber",
        ["PrimaryCareOnly"] = "Primary care only",
        ["LikelyEligible"] = "Likely eligible",
        ["NeedsMedicalReview"] = "Needs medical review",
        ["LikelyNotAFitNow"] = "Likely not a fit now",
        ["ConsultationBooked"] = "Consultation booked",
        ["ReferredOut"] = "Referred out",
        ["PractitionerNotification"] = "Notification to you",
        ["ClientAcknowledgement"] = "Acknowledgement to the client",
    };

    public static string For<T>(T value)
        where T : struct, Enum
    {
        var name = value.ToString();
        return Overrides.TryGetValue(name, out var label) ? label : Words(name);
    }

    /// <summary>UTC as ISO 8601 to the second, the form the export and the pages share.</summary>
    public static string Utc(DateTime value) => value.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>"SomeName" reads as "Some name".</summary>
    private static string Words(string name)
    {
        var text = new StringBuilder(name.Length + 4);
        for (var i = 0; i < name.Length; i++)
        {
            if (i > 0 && char.IsUpper(name[i]))
            {
                text.Append(' ').Append(char.ToLowerInvariant(name[i]));
            }
            else
            {
                text.Append(name[i]);
            }
        }

        return text.ToString();
    }
}
