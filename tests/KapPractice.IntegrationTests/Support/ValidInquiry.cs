using System.Collections;
using KapPractice.Web.Domain;
using KapPractice.Web.Features.Inquiries;

namespace KapPractice.Tests.Support;

/// <summary>
/// The one description of a valid inquiry, shared by every test project: the form a likely-eligible
/// person sends, the entity the app makes of it, and the fields a browser posts for it. A new question
/// is added here once. Changes are written "Field=Value; List=A,B" ("" or "null" clears a field).
/// </summary>
public static class ValidInquiry
{
    /// <summary>When <see cref="Entity"/> says the inquiry arrived.</summary>
    public static readonly DateTime ReceivedUtc = new(2026, 1, 2, 3, 4, 5, DateTimeKind.Utc);

    /// <summary>Every answer a likely-eligible person would give, with <paramref name="changes"/> applied.</summary>
    public static InquiryForm Form(string changes = "") => new InquiryForm
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
    }.With(changes);

    /// <summary>
    /// The entity the app makes of <see cref="Form"/> (mapped and screened, received at <see cref="ReceivedUtc"/>), for tests
    /// without a database. Tests with the app store one through <c>factory.SubmitAsync(form)</c> instead.
    /// </summary>
    public static Inquiry Entity(string changes = "", int id = 0)
    {
        var inquiry = Form(changes).Normalized().ToInquiry(ReceivedUtc);
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

    /// <summary>A copy of the form with "Field=Value; List=A,B" applied.</summary>
    public static InquiryForm With(this InquiryForm form, string changes)
    {
        ArgumentNullException.ThrowIfNull(form);
        var copy = form with { };
        Apply(copy, changes);
        return copy;
    }

    /// <summary>Changes a stored-looking entity in place, for rules that read the entity (screening) or what is made of it (emails).</summary>
    public static Inquiry With(this Inquiry inquiry, string changes)
    {
        ArgumentNullException.ThrowIfNull(inquiry);
        Apply(inquiry, changes);
        return inquiry;
    }

    private static void Apply(object target, string changes)
    {
        ArgumentNullException.ThrowIfNull(changes);
        foreach (var change in changes.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var at = change.IndexOf('=', StringComparison.Ordinal);
            var (name, text) = (change[..at], change[(at + 1)..]);
            var property = target.GetType().GetProperty(name) ?? throw new ArgumentException($"{target.GetType().Name} has no {name}");
            property.SetValue(target, Parse(property.PropertyType, text));
        }
    }

    private static object? Parse(Type type, string text)
    {
        var isList = type.IsGenericType && type.GetGenericTypeDefinition() == typeof(List<>);
        if (text is "null" or "")
        {
            return isList ? Activator.CreateInstance(type) : null;
        }

        if (isList)
        {
            var list = (IList)Activator.CreateInstance(type)!;
            foreach (var item in text.Split(',', StringSplitOptions.TrimEntries))
            {
                list.Add(Parse(type.GetGenericArguments()[0], item));
            }

            return list;
        }

        var underlying = Nullable.GetUnderlyingType(type) ?? type;
        return underlying.IsEnum ? Enum.Parse(underlying, text)
            : underlying == typeof(bool) ? bool.Parse(text)
            : text;
    }
}
