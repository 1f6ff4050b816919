using System.Text.RegularExpressions;
using FluentValidation;
using KapPractice.Web.Domain;
using KapPractice.Web.Infrastructure;
using KapPractice.Web.Infrastructure.Data;

namespace KapPractice.Web.Features.Inquiries;

/// <summary>What a complete, sensible inquiry needs. Messages speak to the person filling in the form.</summary>
public sealed partial class InquiryFormValidator : AbstractValidator<InquiryForm>
{
    public const int FullNameMax = TextLimits.FullName;
    public const int PronounsMax = TextLimits.Pronouns;
    public const int EmailMax = TextLimits.Email;
    public const int PhoneMax = TextLimits.Phone;
    public const int OtherTextMax = TextLimits.OtherText;
    public const int MessageMax = TextLimits.Message;

    public InquiryFormValidator()
    {
        // 1. Contact
        RuleFor(f => f.FullName).Cascade(CascadeMode.Stop)
            .NotEmpty().WithMessage("Enter your full name")
            .MaximumLength(FullNameMax).WithMessage($"Your name must be {FullNameMax} characters or fewer")
            .Must(BePlainText).WithMessage("Your name contains characters we cannot accept, such as control characters. Please retype it")
            .Must(ShowAsTyped).WithMessage("Your name contains invisible characters or characters that change the direction of text. Please retype it")
            .Must(name => !DisplayText.HasEncodedWord(name!))
            .WithMessage("Your name cannot contain =? followed by ?=: email programs would show it as a different name. Please type your name as you write it");
        RuleFor(f => f.Pronouns).Cascade(CascadeMode.Stop)
            .MaximumLength(PronounsMax).WithMessage($"Your pronouns must be {PronounsMax} characters or fewer")
            .Must(BePlainText).WithMessage("Your pronouns contain characters we cannot accept, such as control characters. Please retype them")
            .Must(ShowAsTyped).WithMessage("Your pronouns contain invisible characters or characters that change the direction of text. Please retype them");
        RuleFor(f => f.Email).Cascade(CascadeMode.Stop)
            .NotEmpty().WithMessage("Enter your email address")
            .MaximumLength(EmailMax).WithMessage($"Your email address must be {EmailMax} characters or fewer")
            .Must(BeAnEmailAddress).WithMessage("Enter an email address in the correct format, like name@example.com");
        RuleFor(f => f.Phone).Cascade(CascadeMode.Stop)
            .NotEmpty().When(f => f.PreferredContact is ContactMethod.Phone or ContactMethod.Either)
            .WithMessage("Enter a phone number, or choose email as the way to contact you")
            .MaximumLength(PhoneMax).WithMessage($"Your phone number must be {PhoneMax} characters or fewer")
            .Must(BeAPhoneNumber).WithMessage("Enter a phone number using digits, like 212 555 0123, and optionally +, spaces, brackets or dashes");
        RequiredChoice(f => f.PreferredContact, "Select how you would like to be contacted");
        RequiredChoice(f => f.VoicemailOk, "Select whether we may leave a voicemail");

        // 2. Basics
        RequiredChoice(f => f.Adult, "Select whether you are 18 or older");
        RequiredChoice(f => f.InNewYork, "Select whether you will be in New York State during sessions");
        RequiredChoice(f => f.SessionPreference, "Select how you would like to meet");

        // 3. What brings you
        RuleFor(f => f.Concerns).Cascade(CascadeMode.Stop)
            .NotEmpty().WithMessage("Select at least one thing that brings you here, or select Something else")
            .Must(AllBeDefined).WithMessage("Select from the options listed");
        OtherText(f => f.ConcernOther, f => f.Concerns.Contains(Concern.Other), "Describe what else brings you here", "what else brings you here");
        RuleFor(f => f.TreatmentsTried).Cascade(CascadeMode.Stop)
            .NotEmpty().WithMessage("Select the treatments you have tried, or select None of these")
            .Must(AllBeDefined).WithMessage("Select from the options listed")
            .Must(list => !list.Contains(Treatment.None) || list.Count == 1)
            .WithMessage("Select None of these on its own, or untick it and select the treatments you have tried");
        RuleFor(f => f.Message).Cascade(CascadeMode.Stop)
            .MaximumLength(MessageMax).WithMessage($"Your message must be {MessageMax} characters or fewer")
            .Must(BeMultilineText).WithMessage("Your message contains characters we cannot accept, such as control characters. Please retype it");

        // 4. Safety
        RequiredChoice(f => f.SelfHarmThoughts, "Select whether you are having thoughts of harming yourself or ending your life");

        // 5. Medical screening
        RequiredChoice(f => f.PsychoticDisorder, "Select whether you have been diagnosed with a psychotic disorder");
        RequiredChoice(f => f.FamilyPsychoticDisorder, "Select whether a parent, brother, sister or child of yours has been diagnosed with a psychotic disorder");
        RequiredChoice(f => f.Bipolar, "Select whether you have been diagnosed with bipolar disorder");
        RuleFor(f => f.ManicOrMixedEpisode).Cascade(CascadeMode.Stop)
            .NotNull().When(f => f.Bipolar is YesNoNotSure.Yes or YesNoNotSure.NotSure)
            .WithMessage("You said yes or not sure to bipolar disorder: select whether you are in a manic or mixed episode now")
            .IsInEnum().WithMessage("Select one of the options");
        RequiredChoice(f => f.DissociativeDisorder, "Select whether you have been diagnosed with a dissociative disorder");
        RequiredChoice(f => f.PregnantOrBreastfeeding, "Select whether you are pregnant, trying to conceive or breastfeeding");
        RequiredChoice(f => f.BloodPressure, "Select whether you have high blood pressure");
        RequiredChoice(f => f.AneurysmOrStroke, "Select whether you have had an aneurysm, AVM, brain bleed or stroke");
        RequiredChoice(f => f.SeizuresOrEpilepsy, "Select whether you have ever had a seizure or been diagnosed with epilepsy");
        RequiredChoice(f => f.OtherHeartDisease, "Select whether you have any other heart disease");
        RequiredChoice(f => f.EyeOrSkullPressure, "Select whether you have glaucoma or raised pressure in the eye or skull");
        RequiredChoice(f => f.BreathingProblems, "Select whether you have serious breathing problems or sleep apnea");
        RequiredChoice(f => f.LiverBladderOrThyroid, "Select whether you have liver disease, bladder or urinary problems, or an overactive thyroid");
        RequiredChoice(f => f.SubstanceUse, "Select the answer that fits your alcohol or drug use");
        RuleFor(f => f.SubstanceUseLastProblem).Cascade(CascadeMode.Stop)
            .NotNull().When(f => f.SubstanceUse is SubstanceUse.NoConcern or SubstanceUse.InRecovery)
            .WithMessage("Select when alcohol or drug use was last a problem for you, or Never")
            .IsInEnum().WithMessage("Select one of the options");
        RequiredChoice(f => f.KetamineHistory, "Select whether you have taken ketamine before");
        RuleFor(f => f.Medications).Cascade(CascadeMode.Stop)
            .NotEmpty().WithMessage("Select the medications you take now, or select None of these")
            .Must(AllBeDefined).WithMessage("Select from the options listed")
            .Must(list => !list.Contains(Medication.NoneOfThese) || list.Count == 1)
            .WithMessage("Select None of these on its own, or untick it and select the medications you take");
        OtherText(f => f.MedicationOther, f => f.Medications.Contains(Medication.Other), "Enter the other medications you take", "the other medications");
        RequiredChoice(f => f.Prescriber, "Select whether you have a prescriber or primary-care doctor");
        RequiredChoice(f => f.WillingMedicalEvaluation, "Select whether you are willing to have a medical evaluation");

        // 6. Consents
        RuleFor(f => f.ConsentNotForEmergencies).Equal(true).WithMessage("Confirm that you understand this form is not for emergencies");
        RuleFor(f => f.ConsentPrivacyNotice).Equal(true).WithMessage("Confirm that you have read the privacy notice");
        RuleFor(f => f.ConsentNoTherapyRelationship).Equal(true).WithMessage("Confirm that sending this form does not start a therapy relationship");
        RuleFor(f => f.ConsentMedicalEvaluation).Equal(true).WithMessage("Confirm that you understand KAP needs a separate medical evaluation and that ketamine for this use is off-label");
        RuleFor(f => f.ConsentContact).Equal(true).WithMessage("Confirm that we may contact you by the method you chose");
    }

    private void RequiredChoice<T>(System.Linq.Expressions.Expression<Func<InquiryForm, T?>> answer, string message)
        where T : struct, Enum =>
        RuleFor(answer).Cascade(CascadeMode.Stop).NotNull().WithMessage(message).IsInEnum().WithMessage(message);

    private void OtherText(System.Linq.Expressions.Expression<Func<InquiryForm, string?>> text, Func<InquiryForm, bool> otherTicked, string requiredMessage, string what)
    {
        RuleFor(text).NotEmpty().When(otherTicked).WithMessage(requiredMessage);
        RuleFor(text).Cascade(CascadeMode.Stop)
            .MaximumLength(OtherTextMax).WithMessage($"Describe {what} in {OtherTextMax} characters or fewer")
            .Must(BePlainText).WithMessage($"The description of {what} contains characters we cannot accept, such as control characters. Please retype it");
    }

    private static bool AllBeDefined<T>(List<T> values) where T : struct, Enum => values.TrueForAll(Enum.IsDefined);

    /// <summary>Letters of any script, punctuation and spaces; no control characters, broken characters or line breaks.</summary>
    internal static bool BePlainText(string? value) => value is null || (InquiryForm.IsWellFormed(value) && !value.Any(IsUnacceptable));

    /// <summary>No character that hides itself or reorders the text around it, so the admin list shows the name that is stored.</summary>
    private static bool ShowAsTyped(string? value) => value is null || !DisplayText.HasHiddenCharacters(value);

    /// <summary>Like <see cref="BePlainText"/>, but line breaks and tabs are fine in a message.</summary>
    internal static bool BeMultilineText(string? value) =>
        value is null || (InquiryForm.IsWellFormed(value) && !value.Any(c => c is not ('\r' or '\n' or '\t') && IsUnacceptable(c)));

    // U+FFFD is what broken UTF-8 decodes to: the text is not what the person typed.
    private static bool IsUnacceptable(char c) => char.IsControl(c) || c == '\uFFFD' || c is '\u2028' or '\u2029';

    private static bool BeAnEmailAddress(string? value) =>
        value is not null && EmailPattern().IsMatch(value) && MimeKit.MailboxAddress.TryParse(value, out var parsed) && parsed.Address == value;

    private static bool BeAPhoneNumber(string? value) =>
        value is null || (PhonePattern().IsMatch(value) && value.Count(char.IsAsciiDigit) is >= 7 and <= 20);

    [GeneratedRegex(@"^[^@\s\p{C}""<>(),;:\[\]\\]+@[^@\s\p{C}""<>(),;:\[\]\\]+\.[^@\s\p{C}""<>(),;:\[\]\\.]{2,}$")]
    private static partial Regex EmailPattern();

    [GeneratedRegex(@"^\+?[0-9 ()\-.]+((ext\.?|x) ?[0-9]{1,6})?$", RegexOptions.IgnoreCase)]
    private static partial Regex PhonePattern();
}
