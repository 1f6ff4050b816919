using KapPractice.Web.Features.Inquiries;
using KapPractice.Web.Domain;

namespace KapPractice.UnitTests.Features.Inquiries;

public sealed class InquiryFormValidatorTests
{
    /// <summary>Each case's answers, typed on the form; the key is only the case's name in the test list.</summary>
    private static readonly Dictionary<string, Action<InquiryForm>> Answers = new()
    {
        ["FullName="] = i => i.FullName = null,
        ["Email="] = i => i.Email = null,
        ["Email=alex"] = i => i.Email = "alex",
        ["Email=alex@example"] = i => i.Email = "alex@example",
        ["Email=alex @example.com"] = i => i.Email = "alex @example.com",
        ["Email=a@b@example.com"] = i => i.Email = "a@b@example.com",
        ["Email=<alex@example.com>"] = i => i.Email = "<alex@example.com>",
        ["PreferredContact=Phone"] = i => i.PreferredContact = ContactMethod.Phone,
        ["PreferredContact=Either"] = i => i.PreferredContact = ContactMethod.Either,
        ["Phone=call me maybe"] = i => i.Phone = "call me maybe",
        ["Phone=12"] = i => i.Phone = "12",
        ["PreferredContact=null"] = i => i.PreferredContact = null,
        ["VoicemailOk=null"] = i => i.VoicemailOk = null,
        ["Adult=null"] = i => i.Adult = null,
        ["InNewYork=null"] = i => i.InNewYork = null,
        ["SessionPreference=null"] = i => i.SessionPreference = null,
        ["Concerns="] = i => i.Concerns = [],
        ["Concerns=Other"] = i => i.Concerns = [Concern.Other],
        ["TreatmentsTried="] = i => i.TreatmentsTried = [],
        ["TreatmentsTried=None,TalkTherapy"] = i => i.TreatmentsTried = [Treatment.None, Treatment.TalkTherapy],
        ["SelfHarmThoughts=null"] = i => i.SelfHarmThoughts = null,
        ["PsychoticDisorder=null"] = i => i.PsychoticDisorder = null,
        ["Bipolar=null"] = i => i.Bipolar = null,
        ["FamilyPsychoticDisorder=null"] = i => i.FamilyPsychoticDisorder = null,
        ["DissociativeDisorder=null"] = i => i.DissociativeDisorder = null,
        ["SeizuresOrEpilepsy=null"] = i => i.SeizuresOrEpilepsy = null,
        ["SubstanceUseLastProblem=null"] = i => i.SubstanceUseLastProblem = null,
        ["SubstanceUse=InRecovery; SubstanceUseLastProblem=null"] = i => { i.SubstanceUse = SubstanceUse.InRecovery; i.SubstanceUseLastProblem = null; },
        ["Bipolar=Yes"] = i => i.Bipolar = YesNoNotSure.Yes,
        ["Bipolar=NotSure"] = i => i.Bipolar = YesNoNotSure.NotSure,
        ["PregnantOrBreastfeeding=null"] = i => i.PregnantOrBreastfeeding = null,
        ["BloodPressure=null"] = i => i.BloodPressure = null,
        ["AneurysmOrStroke=null"] = i => i.AneurysmOrStroke = null,
        ["OtherHeartDisease=null"] = i => i.OtherHeartDisease = null,
        ["EyeOrSkullPressure=null"] = i => i.EyeOrSkullPressure = null,
        ["BreathingProblems=null"] = i => i.BreathingProblems = null,
        ["LiverBladderOrThyroid=null"] = i => i.LiverBladderOrThyroid = null,
        ["SubstanceUse=null"] = i => i.SubstanceUse = null,
        ["KetamineHistory=null"] = i => i.KetamineHistory = null,
        ["Medications="] = i => i.Medications = [],
        ["Medications=NoneOfThese,Opioids"] = i => i.Medications = [Medication.NoneOfThese, Medication.Opioids],
        ["Medications=Other"] = i => i.Medications = [Medication.Other],
        ["Prescriber=null"] = i => i.Prescriber = null,
        ["WillingMedicalEvaluation=null"] = i => i.WillingMedicalEvaluation = null,
        ["ConsentNotForEmergencies=false"] = i => i.ConsentNotForEmergencies = false,
        ["ConsentPrivacyNotice=false"] = i => i.ConsentPrivacyNotice = false,
        ["ConsentNoTherapyRelationship=false"] = i => i.ConsentNoTherapyRelationship = false,
        ["ConsentMedicalEvaluation=false"] = i => i.ConsentMedicalEvaluation = false,
        ["ConsentContact=false"] = i => i.ConsentContact = false,
    };

    private readonly InquiryFormValidator _validator = new();

    [Fact]
    public void A_complete_form_is_valid()
    {
        Assert.True(_validator.Validate(ValidInquiry.Form()).IsValid);
    }

    [Fact]
    public void When_use_was_last_a_problem_needs_no_answer_from_someone_for_whom_it_is_a_problem_now()
    {
        Assert.True(_validator.Validate(ValidInquiry.With(i => { i.SubstanceUse = SubstanceUse.CurrentlyAProblem; i.SubstanceUseLastProblem = null; })).IsValid);
    }

    [Theory]
    [InlineData("FullName=", "FullName", "Enter your full name")]
    [InlineData("Email=", "Email", "Enter your email address")]
    [InlineData("Email=alex", "Email", "Enter an email address in the correct format")]
    [InlineData("Email=alex@example", "Email", "Enter an email address in the correct format")]
    [InlineData("Email=alex @example.com", "Email", "Enter an email address in the correct format")]
    [InlineData("Email=a@b@example.com", "Email", "Enter an email address in the correct format")]
    [InlineData("Email=<alex@example.com>", "Email", "Enter an email address in the correct format")]
    [InlineData("PreferredContact=Phone", "Phone", "Enter a phone number, or choose email")]
    [InlineData("PreferredContact=Either", "Phone", "Enter a phone number, or choose email")]
    [InlineData("Phone=call me maybe", "Phone", "Enter a phone number using digits")]
    [InlineData("Phone=12", "Phone", "Enter a phone number using digits")]
    [InlineData("PreferredContact=null", "PreferredContact", "Select how you would like to be contacted")]
    [InlineData("VoicemailOk=null", "VoicemailOk", "Select whether we may leave a voicemail")]
    [InlineData("Adult=null", "Adult", "Select whether you are 18 or older")]
    [InlineData("InNewYork=null", "InNewYork", "Select whether you will be in New York State")]
    [InlineData("SessionPreference=null", "SessionPreference", "Select how you would like to meet")]
    [InlineData("Concerns=", "Concerns", "Select at least one thing")]
    [InlineData("Concerns=Other", "ConcernOther", "Describe what else brings you here")]
    [InlineData("TreatmentsTried=", "TreatmentsTried", "Select the treatments you have tried")]
    [InlineData("TreatmentsTried=None,TalkTherapy", "TreatmentsTried", "Select None of these on its own")]
    [InlineData("SelfHarmThoughts=null", "SelfHarmThoughts", "thoughts of harming yourself")]
    [InlineData("PsychoticDisorder=null", "PsychoticDisorder", "psychotic disorder")]
    [InlineData("Bipolar=null", "Bipolar", "bipolar disorder")]
    [InlineData("FamilyPsychoticDisorder=null", "FamilyPsychoticDisorder", "parent, brother, sister or child")]
    [InlineData("DissociativeDisorder=null", "DissociativeDisorder", "dissociative disorder")]
    [InlineData("SeizuresOrEpilepsy=null", "SeizuresOrEpilepsy", "seizure or been diagnosed with epilepsy")]
    [InlineData("SubstanceUseLastProblem=null", "SubstanceUseLastProblem", "when alcohol or drug use was last a problem")]
    [InlineData("SubstanceUse=InRecovery; SubstanceUseLastProblem=null", "SubstanceUseLastProblem", "when alcohol or drug use was last a problem")]
    [InlineData("Bipolar=Yes", "ManicOrMixedEpisode", "manic or mixed episode")]
    [InlineData("Bipolar=NotSure", "ManicOrMixedEpisode", "manic or mixed episode")]
    [InlineData("PregnantOrBreastfeeding=null", "PregnantOrBreastfeeding", "pregnant")]
    [InlineData("BloodPressure=null", "BloodPressure", "blood pressure")]
    [InlineData("AneurysmOrStroke=null", "AneurysmOrStroke", "aneurysm")]
    [InlineData("OtherHeartDisease=null", "OtherHeartDisease", "heart disease")]
    [InlineData("EyeOrSkullPressure=null", "EyeOrSkullPressure", "glaucoma")]
    [InlineData("BreathingProblems=null", "BreathingProblems", "breathing")]
    [InlineData("LiverBladderOrThyroid=null", "LiverBladderOrThyroid", "liver")]
    [InlineData("SubstanceUse=null", "SubstanceUse", "alcohol or drug use")]
    [InlineData("KetamineHistory=null", "KetamineHistory", "ketamine")]
    [InlineData("Medications=", "Medications", "Select the medications you take now")]
    [InlineData("Medications=NoneOfThese,Opioids", "Medications", "Select None of these on its own")]
    [InlineData("Medications=Other", "MedicationOther", "Enter the other medications")]
    [InlineData("Prescriber=null", "Prescriber", "prescriber or primary-care doctor")]
    [InlineData("WillingMedicalEvaluation=null", "WillingMedicalEvaluation", "medical evaluation")]
    [InlineData("ConsentNotForEmergencies=false", "ConsentNotForEmergencies", "not for emergencies")]
    [InlineData("ConsentPrivacyNotice=false", "ConsentPrivacyNotice", "privacy notice")]
    [InlineData("ConsentNoTherapyRelationship=false", "ConsentNoTherapyRelationship", "does not start a therapy relationship")]
    [InlineData("ConsentMedicalEvaluation=false", "ConsentMedicalEvaluation", "off-label")]
    [InlineData("ConsentContact=false", "ConsentContact", "contact you")]
    public void Each_rule_reports_its_field_with_a_plain_message(string changes, string field, string message)
    {
        var result = _validator.Validate(ValidInquiry.With(Answers[changes]));

        var error = Assert.Single(result.Errors);
        Assert.Equal(field, error.PropertyName);
        Assert.Contains(message, error.ErrorMessage, StringComparison.OrdinalIgnoreCase);
    }

    [Theory]
    [InlineData("FullName", 100)]
    [InlineData("Pronouns", 40)]
    [InlineData("ConcernOther", 200)]
    [InlineData("MedicationOther", 200)]
    [InlineData("Message", 2000)]
    public void Texts_are_accepted_up_to_their_limit_and_not_one_character_more(string field, int limit)
    {
        var form = ValidInquiry.With(i => { i.Concerns = [Concern.Other]; i.ConcernOther = "x"; i.Medications = [Medication.Other]; i.MedicationOther = "x"; });
        var property = typeof(InquiryForm).GetProperty(field)!;

        property.SetValue(form, new string('a', limit));
        Assert.True(_validator.Validate(form).IsValid);

        property.SetValue(form, new string('a', limit + 1));
        var error = Assert.Single(_validator.Validate(form).Errors);
        Assert.Equal(field, error.PropertyName);
        Assert.Contains($"{limit} characters or fewer", error.ErrorMessage, StringComparison.Ordinal);
    }

    [Fact]
    public void An_email_address_longer_than_254_characters_is_refused()
    {
        var email = new string('a', 64) + "@" + string.Join('.', Enumerable.Repeat(new string('b', 60), 4)) + ".com";

        var error = Assert.Single(_validator.Validate(ValidInquiry.Form() with { Email = email }).Errors);

        Assert.Contains("254 characters or fewer", error.ErrorMessage, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("José Álvarez")]
    [InlineData("Nguyễn Văn An")]
    [InlineData("Siobhán O'Brien-Ní Dhuibhir")]
    [InlineData("李小龍")]
    [InlineData("محمد الأحمد")]
    [InlineData("Zoë Ødegård")]
    [InlineData("Ngāti 🌿 Rangi")]
    public void Names_in_any_script_are_accepted(string name)
    {
        Assert.True(_validator.Validate(ValidInquiry.Form() with { FullName = name }).IsValid);
    }

    [Theory]
    [InlineData("Alex\u0000Rivera")]
    [InlineData("Alex\u001bRivera")]
    [InlineData("Alex\nRivera")]
    [InlineData("Alex\uFFFDRivera")]
    [InlineData("Alex\uD800Rivera")]
    public void Control_and_broken_characters_in_a_name_get_a_clear_message(string name)
    {
        var error = Assert.Single(_validator.Validate(ValidInquiry.Form() with { FullName = name }).Errors);

        Assert.Equal("FullName", error.PropertyName);
        Assert.Contains("characters we cannot accept", error.ErrorMessage, StringComparison.Ordinal);
    }

    [Fact]
    public void A_message_may_have_line_breaks_but_not_control_characters()
    {
        Assert.True(_validator.Validate(ValidInquiry.Form() with { Message = "Hello,\r\n\tthank you." }).IsValid);

        var error = Assert.Single(_validator.Validate(ValidInquiry.Form() with { Message = "Hello\u0007" }).Errors);
        Assert.Equal("Message", error.PropertyName);
    }

    [Fact]
    public void An_answer_outside_the_listed_options_is_refused()
    {
        var form = ValidInquiry.Form() with { InNewYork = (YesNoNotSure)42, Concerns = [(Concern)42] };

        var fields = _validator.Validate(form).Errors.Select(e => e.PropertyName).Order().ToList();

        Assert.Equal(["Concerns", "InNewYork"], fields);
    }

    [Fact]
    public void Normalizing_trims_blanks_to_null_composes_accents_and_drops_repeated_ticks()
    {
        var form = ValidInquiry.Form() with
        {
            FullName = "  Nguye\u0302\u0303n  ",
            Pronouns = "   ",
            Concerns = [Concern.Anxiety, Concern.Anxiety],
        };

        var normalized = form.Normalized();

        Assert.Equal("Nguy\u1ec5n", normalized.FullName);
        Assert.Null(normalized.Pronouns);
        Assert.Equal([Concern.Anxiety], normalized.Concerns);
    }

    [Fact]
    public void Mapping_keeps_follow_up_and_other_texts_only_where_they_were_asked()
    {
        var form = ValidInquiry.With(i =>
        {
            i.Bipolar = YesNoNotSure.No;
            i.ManicOrMixedEpisode = YesNoNotSure.Yes;
            i.ConcernOther = "stray";
            i.Medications = [Medication.Other];
            i.MedicationOther = "Lithium";
            i.SubstanceUse = SubstanceUse.CurrentlyAProblem;
            i.SubstanceUseLastProblem = SubstanceUseLastProblem.Never;
        });
        var now = new DateTime(2026, 3, 4, 5, 6, 7, DateTimeKind.Utc);

        var inquiry = form.ToInquiry(now);

        Assert.Null(inquiry.ManicOrMixedEpisode);
        Assert.Null(inquiry.SubstanceUseLastProblem);
        Assert.Null(inquiry.ConcernOther);
        Assert.Equal("Lithium", inquiry.MedicationOther);
        Assert.Equal(now, inquiry.ReceivedUtc);
        Assert.Equal(now, inquiry.ConsentsGivenUtc);
        Assert.Equal(InquiryStatus.New, inquiry.Status);
    }
}
