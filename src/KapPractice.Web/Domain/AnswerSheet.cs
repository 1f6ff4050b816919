using System.Text;

namespace KapPractice.Web.Domain;

/// <summary>One answer as the practitioner reads it: the question as the form asked it and the answer in the form's words.</summary>
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

    /// <summary>The last group: when the consents were given.</summary>
    public const string ConsentsTitle = "Consents";

    /// <summary>The one row under <see cref="ConsentsTitle"/>: when the form's consents were all given.</summary>
    public const string ConsentsGiven = "All five consents given";

    /// <param name="time">How a time reads: the practice's clock (local, with its zone) for people, <see cref="Labels.Utc"/> for machines.</param>
    public static IReadOnlyList<AnswerGroup> For(Inquiry inquiry, Func<DateTime, string> time)
    {
        ArgumentNullException.ThrowIfNull(inquiry);
        ArgumentNullException.ThrowIfNull(time);
        return
        [
            new("Contact",
            [
                new(Questions.FullName, inquiry.FullName),
                new(Questions.Pronouns, Text(inquiry.Pronouns)),
                new(Questions.Email, inquiry.Email),
                new(Questions.Phone, Text(inquiry.Phone)),
                new(Questions.PreferredContact, Labels.For(inquiry.PreferredContact)),
                new(Questions.VoicemailOk, Labels.For(inquiry.VoicemailOk)),
            ]),
            new("Basics",
            [
                new(Questions.Adult, Labels.For(inquiry.Adult)),
                new(Questions.InNewYork, Labels.For(inquiry.InNewYork)),
                new(Questions.SessionPreference, Labels.For(inquiry.SessionPreference)),
            ]),
            new("What brings you",
            [
                new(Questions.Concerns, List(inquiry.Concerns)),
                new(Questions.ConcernOther, Text(inquiry.ConcernOther)),
                new(Questions.TreatmentsTried, List(inquiry.TreatmentsTried)),
                new(Questions.Message, Text(inquiry.Message)),
            ]),
            new("Safety",
            [
                new(Questions.SelfHarmThoughts, Labels.For(inquiry.SelfHarmThoughts)),
            ]),
            new("Medical screening",
            [
                new(Questions.PsychoticDisorder, Labels.For(inquiry.PsychoticDisorder)),
                new(Questions.FamilyPsychoticDisorder, Asked(inquiry.FamilyPsychoticDisorder)),
                new(Questions.Bipolar, Labels.For(inquiry.Bipolar)),
                new(Questions.ManicOrMixedEpisode, Asked(inquiry.ManicOrMixedEpisode)),
                new(Questions.DissociativeDisorder, Asked(inquiry.DissociativeDisorder)),
                new(Questions.PregnantOrBreastfeeding, Labels.For(inquiry.PregnantOrBreastfeeding)),
                new(Questions.BloodPressure, Labels.For(inquiry.BloodPressure)),
                new(Questions.AneurysmOrStroke, Labels.For(inquiry.AneurysmOrStroke)),
                new(Questions.SeizuresOrEpilepsy, Asked(inquiry.SeizuresOrEpilepsy)),
                new(Questions.OtherHeartDisease, Labels.For(inquiry.OtherHeartDisease)),
                new(Questions.EyeOrSkullPressure, Labels.For(inquiry.EyeOrSkullPressure)),
                new(Questions.BreathingProblems, Labels.For(inquiry.BreathingProblems)),
                new(Questions.LiverBladderOrThyroid, Labels.For(inquiry.LiverBladderOrThyroid)),
                new(Questions.SubstanceUse, Labels.For(inquiry.SubstanceUse)),
                new(Questions.SubstanceUseLastProblem, Asked(inquiry.SubstanceUseLastProblem)),
                new(Questions.KetamineHistory, Labels.For(inquiry.KetamineHistory)),
                new(Questions.Medications, List(inquiry.Medications)),
                new(Questions.MedicationOther, Text(inquiry.MedicationOther)),
                new(Questions.Prescriber, Labels.For(inquiry.Prescriber)),
                new(Questions.WillingMedicalEvaluation, Labels.For(inquiry.WillingMedicalEvaluation)),
            ]),
            new(ConsentsTitle,
            [
                new(ConsentsGiven, time(inquiry.ConsentsGivenUtc)),
            ]),
        ];
    }

    /// <summary>A follow-up the form skipped, or a question added after the inquiry was sent.</summary>
    public const string NotAsked = "Not asked";

    private static string Asked<T>(T? answer)
        where T : struct, Enum => answer is { } value ? Labels.For(value) : NotAsked;

    private static string Text(string? value) => string.IsNullOrWhiteSpace(value) ? "Not given" : value;

    private static string List<T>(IReadOnlyCollection<T> values)
        where T : struct, Enum =>
        values.Count == 0 ? "None selected" : string.Join(ListSeparator, values.Select(v => Labels.For(v)));
}

/// <summary>Readable labels for stored answer and state names.</summary>
public static class Labels
{
    // States and kinds; the answers of the form have their words in AnswerLabels.
    private static readonly Dictionary<string, string> Overrides = new(StringComparer.Ordinal)
    {
        ["LikelyEligible"] = "Likely eligible",
        ["NeedsMedicalReview"] = "Needs medical review",
        ["LikelyNotAFitNow"] = "Likely not a fit now",
        ["ConsultationBooked"] = "Consultation booked",
        ["ReferredOut"] = "Referred out",
        ["PractitionerNotification"] = "Notification to you",
        ["ClientAcknowledgement"] = "Acknowledgement to the client",
        ["ClientReply"] = "Your reply to the client",
        ["PractitionerDigest"] = "Daily digest to you",
        ["UrgentReminder"] = "Reminder to you: not opened yet",
    };

    public static string For<T>(T value)
        where T : struct, Enum
    {
        if (UnreadableValue.IsUnreadable(value))
        {
            return UnreadableValue.Text;
        }

        if (AnswerLabels.TryGet(value, out var answer))
        {
            return answer;
        }

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
