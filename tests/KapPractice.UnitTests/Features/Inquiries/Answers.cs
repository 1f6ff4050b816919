using System.Collections;
using KapPractice.Web.Features.Inquiries;
using KapPractice.Web.Domain;

namespace KapPractice.UnitTests.Features.Inquiries;

/// <summary>A complete, likely-eligible set of answers, and changes written as "Field=Value; Field=Value".</summary>
internal static class Answers
{
    public static InquiryForm ValidForm() => new()
    {
        FullName = "Alex Rivera",
        Email = "alex@example.com",
        PreferredContact = ContactMethod.Email,
        VoicemailOk = YesNo.No,
        Adult = YesNo.Yes,
        InNewYork = YesNoNotSure.Yes,
        SessionPreference = SessionFormat.Either,
        Concerns = [Concern.Depression],
        TreatmentsTried = [Treatment.TalkTherapy],
        SelfHarmThoughts = YesNo.No,
        PsychoticDisorder = YesNoNotSure.No,
        Bipolar = YesNoNotSure.No,
        PregnantOrBreastfeeding = YesNoNotSure.No,
        BloodPressure = BloodPressure.No,
        AneurysmOrStroke = YesNoNotSure.No,
        OtherHeartDisease = YesNoNotSure.No,
        EyeOrSkullPressure = PressureControl.No,
        BreathingProblems = Severity.No,
        LiverBladderOrThyroid = YesNoNotSure.No,
        SubstanceUse = SubstanceUse.NoConcern,
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

    public static Inquiry ValidInquiry() => ValidForm().ToInquiry(new DateTime(2026, 1, 2, 3, 4, 5, DateTimeKind.Utc));

    /// <summary>Applies "Field=Value; Other=A,B" to a form or an inquiry: enums by name, lists comma-separated, "" or "null" clears.</summary>
    public static T With<T>(this T target, string changes) where T : class
    {
        ArgumentNullException.ThrowIfNull(target);
        foreach (var change in changes.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var (name, text) = (change[..change.IndexOf('=', StringComparison.Ordinal)], change[(change.IndexOf('=', StringComparison.Ordinal) + 1)..]);
            var property = typeof(T).GetProperty(name) ?? throw new ArgumentException($"No property {name}");
            property.SetValue(target, Parse(property.PropertyType, text));
        }

        return target;
    }

    private static object? Parse(Type type, string text)
    {
        if (text is "null" or "")
        {
            return type.IsGenericType && type.GetGenericTypeDefinition() == typeof(List<>) ? Activator.CreateInstance(type) : null;
        }

        if (type.IsGenericType && type.GetGenericTypeDefinition() == typeof(List<>))
        {
            var list = (IList)Activator.CreateInstance(type)!;
            foreach (var item in text.Split(','))
            {
                list.Add(Enum.Parse(type.GetGenericArguments()[0], item));
            }

            return list;
        }

        var underlying = Nullable.GetUnderlyingType(type) ?? type;
        return underlying.IsEnum ? Enum.Parse(underlying, text)
            : underlying == typeof(bool) ? bool.Parse(text)
            : text;
    }
}
