using System.Collections;
using KapPractice.Web.Domain;
using KapPractice.Web.Features.Inquiries;

namespace KapPractice.Tests.Support;

/// <summary>
/// The one description of a valid inquiry, shared by every test project: the form a likely-eligible
/// person sends, the entity the app makes of it, and the fields a browser posts for it. A new question
/// is added here once. A test changes it in the product's own types, checked by the compiler:
/// <c>ValidInquiry.With(i =&gt; i.SelfHarmThoughts = YesNo.Yes)</c>.
/// </summary>
public static class ValidInquiry
{
    /// <summary>When <see cref="Entity"/> says the inquiry arrived.</summary>
    public static readonly DateTime ReceivedUtc = new(2026, 1, 2, 3, 4, 5, DateTimeKind.Utc);

    /// <summary>Every answer a likely-eligible person would give.</summary>
    public static InquiryForm Form() => new()
    {
        FullName = "Alex Rivera",
        Pronouns = "they/them",
        Email = "alex@example.com",
        PreferredContact = ContactMethod.Email,
        VoicemailOk = YesNo.No,
        Adult = YesNo.Yes,
        InNewYork = YesNoNotSure.Yes,
        SessionPreference = SessionFormat.Either,
        Concerns = [Concern.Depression, Concern.Anxiety],
        TreatmentsTried = [Treatment.TalkTherapy],
        Message = "I would like to know more.",
        SelfHarmThoughts = YesNo.No,
        PsychoticDisorder = YesNoNotSure.No,
        FamilyPsychoticDisorder = YesNoNotSure.No,
        Bipolar = YesNoNotSure.No,
        DissociativeDisorder = YesNoNotSure.No,
        PregnantOrBreastfeeding = YesNoNotSure.No,
        BloodPressure = BloodPressure.No,
        AneurysmOrStroke = YesNoNotSure.No,
        SeizuresOrEpilepsy = YesNoNotSure.No,
        OtherHeartDisease = YesNoNotSure.No,
        EyeOrSkullPressure = PressureControl.No,
        BreathingProblems = Severity.No,
        LiverBladderOrThyroid = YesNoNotSure.No,
        SubstanceUse = SubstanceUse.NoConcern,
        SubstanceUseLastProblem = SubstanceUseLastProblem.Never,
        KetamineHistory = KetamineHistory.Never,
        Medications = [Medication.NoneOfThese],
        Prescriber = Prescriber.PsychiatricPrescriber,
        WillingMedicalEvaluation = YesNoNotSure.Yes,
        ConsentNotForEmergencies = true,
        ConsentPrivacyNotice = true,
        ConsentNoTherapyRelationship = true,
        ConsentMedicalEvaluation = true,
        ConsentContact = true,
    };

    /// <summary>The valid form with <paramref name="change"/> applied (e.g. <c>i =&gt; i.SelfHarmThoughts = YesNo.Yes</c>).</summary>
    public static InquiryForm With(Action<InquiryForm> change) => Form().With(change);

    /// <summary>
    /// The entity the app makes of <see cref="Form"/> (mapped and screened, received at <see cref="ReceivedUtc"/>), for tests
    /// without a database. Tests with the app store one through <c>factory.SubmitAsync(form)</c> instead.
    /// </summary>
    public static Inquiry Entity(Action<InquiryForm>? change = null, int id = 0)
    {
        var inquiry = (change is null ? Form() : With(change)).Normalized().ToInquiry(ReceivedUtc);
        inquiry.Id = id;
        return inquiry;
    }

    /// <summary>The fields a browser posts for the form: text boxes (empty as ""), chosen radios, ticked boxes; the page's hidden fields are its own.</summary>
    public static List<KeyValuePair<string, string>> Fields(this InquiryForm form)
    {
        ArgumentNullException.ThrowIfNull(form);
        var fields = new List<KeyValuePair<string, string>>();
        foreach (var name in InquiryForm.FieldOrder.Append(nameof(InquiryForm.Website)))
        {
            switch (typeof(InquiryForm).GetProperty(name)!.GetValue(form))
            {
                case bool ticked:
                    if (ticked)
                    {
                        fields.Add(new(name, "true"));
                    }

                    break;
                case IEnumerable list and not string:
                    fields.AddRange(list.Cast<object>().Select(item => new KeyValuePair<string, string>(name, item.ToString()!)));
                    break;
                case null when typeof(InquiryForm).GetProperty(name)!.PropertyType != typeof(string):
                    break; // an unanswered radio question is not posted
                case var value:
                    fields.Add(new(name, value?.ToString() ?? ""));
                    break;
            }
        }

        if (form.FillToken is not null)
        {
            fields.Add(new(nameof(InquiryForm.FillToken), form.FillToken));
        }

        return fields;
    }

    /// <summary>A copy of the form with <paramref name="change"/> applied; the original is left as it was.</summary>
    public static InquiryForm With(this InquiryForm form, Action<InquiryForm> change)
    {
        ArgumentNullException.ThrowIfNull(form);
        ArgumentNullException.ThrowIfNull(change);
        var copy = form with { Concerns = [.. form.Concerns], TreatmentsTried = [.. form.TreatmentsTried], Medications = [.. form.Medications] };
        change(copy);
        return copy;
    }

    /// <summary>Changes a stored-looking entity in place, for rules that read the entity (screening) or what is made of it (emails).</summary>
    public static Inquiry With(this Inquiry inquiry, Action<Inquiry> change)
    {
        ArgumentNullException.ThrowIfNull(inquiry);
        ArgumentNullException.ThrowIfNull(change);
        change(inquiry);
        return inquiry;
    }
}
