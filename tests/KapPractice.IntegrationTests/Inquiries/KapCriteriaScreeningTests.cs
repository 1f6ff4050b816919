using KapPractice.Web.Features.Inquiries;
using KapPractice.Web.Domain;
using Microsoft.EntityFrameworkCore;

namespace KapPractice.IntegrationTests.Inquiries;

/// <summary>The app for posting many forms from one address and reading them in the admin area.</summary>
public sealed class FormAndAdminFactory : KapPracticeFactory
{
    public FormAndAdminFactory()
    {
        WithSetting("Spam:MinimumFillTime", "00:00:00");
        WithSetting("RateLimiting:InquiryPermitLimit", "100000");
        WithSetting("RateLimiting:InquiryFloodLimit", "100000");
        WithSetting("Admin:SignInPermitLimit", "1000");
    }
}

/// <summary>The questions added from published KAP criteria, sent through the real form and read on the admin page.</summary>
public sealed class KapCriteriaScreeningTests(FormAndAdminFactory factory) : IClassFixture<FormAndAdminFactory>
{
    /// <summary>Each case's answer, typed on the form; the key is only the case's name in the test list.</summary>
    private static readonly Dictionary<string, Action<InquiryForm>> Answers = new()
    {
        ["SeizuresOrEpilepsy=Yes"] = i => i.SeizuresOrEpilepsy = YesNoNotSure.Yes,
        ["DissociativeDisorder=Yes"] = i => i.DissociativeDisorder = YesNoNotSure.Yes,
        ["FamilyPsychoticDisorder=Yes"] = i => i.FamilyPsychoticDisorder = YesNoNotSure.Yes,
        ["FamilyPsychoticDisorder=NotSure"] = i => i.FamilyPsychoticDisorder = YesNoNotSure.NotSure,
        ["Medications=Gabapentinoids"] = i => i.Medications = [Medication.Gabapentinoids],
        ["SubstanceUseLastProblem=WithinThreeMonths"] = i => i.SubstanceUseLastProblem = SubstanceUseLastProblem.WithinThreeMonths,
        ["SubstanceUseLastProblem=ThreeToTwelveMonthsAgo"] = i => i.SubstanceUseLastProblem = SubstanceUseLastProblem.ThreeToTwelveMonthsAgo,
        ["SubstanceUseLastProblem=MoreThanAYearAgo"] = i => i.SubstanceUseLastProblem = SubstanceUseLastProblem.MoreThanAYearAgo,
        ["SubstanceUseLastProblem=NotSure"] = i => i.SubstanceUseLastProblem = SubstanceUseLastProblem.NotSure,
    };

    public static TheoryData<string, string, string, ScreeningOutcome, string> NewAnswers => new()
    {
        { "SeizuresOrEpilepsy=Yes", Questions.SeizuresOrEpilepsy, "Yes", ScreeningOutcome.NeedsMedicalReview, "Needs medical review: Has had a seizure or has epilepsy." },
        { "DissociativeDisorder=Yes", Questions.DissociativeDisorder, "Yes", ScreeningOutcome.NeedsMedicalReview, "Needs medical review: Diagnosed dissociative disorder." },
        { "FamilyPsychoticDisorder=Yes", Questions.FamilyPsychoticDisorder, "Yes", ScreeningOutcome.NeedsMedicalReview, "Needs medical review: A parent, sibling or child has a psychotic disorder." },
        { "FamilyPsychoticDisorder=NotSure", Questions.FamilyPsychoticDisorder, "Not sure", ScreeningOutcome.NeedsMedicalReview, "Needs medical review: Not sure whether a parent, sibling or child has a psychotic disorder." },
        { "Medications=Gabapentinoids", Questions.Medications, "Gabapentin (Neurontin) or pregabalin (Lyrica)", ScreeningOutcome.NeedsMedicalReview, "Needs medical review: Takes gabapentin or pregabalin." },
        { "SubstanceUseLastProblem=WithinThreeMonths", Questions.SubstanceUseLastProblem, "Less than 3 months ago", ScreeningOutcome.LikelyNotAFitNow, "Likely not a fit now: Alcohol or drug use was last a problem less than 3 months ago." },
        { "SubstanceUseLastProblem=ThreeToTwelveMonthsAgo", Questions.SubstanceUseLastProblem, "3 months to a year ago", ScreeningOutcome.NeedsMedicalReview, "Needs medical review: Alcohol or drug use was last a problem 3 months to a year ago." },
        { "SubstanceUseLastProblem=MoreThanAYearAgo", Questions.SubstanceUseLastProblem, "More than a year ago", ScreeningOutcome.NeedsMedicalReview, "Needs medical review: Alcohol or drug use was last a problem more than a year ago." },
        { "SubstanceUseLastProblem=NotSure", Questions.SubstanceUseLastProblem, "Not sure", ScreeningOutcome.NeedsMedicalReview, "Needs medical review: Not sure when alcohol or drug use was last a problem." },
    };

    [Theory]
    [MemberData(nameof(NewAnswers))]
    public async Task Each_new_answer_sent_through_the_form_is_stored_screened_and_shown_on_the_admin_page(
        string changes, string question, string shown, ScreeningOutcome outcome, string reason)
    {
        var email = $"kap-{Guid.NewGuid():N}@example.com";
        var client = factory.NewClient();

        InquiryForms.AssertRedirectedToConfirmation(await client.SubmitInquiryAsync(InquiryForms.Valid(email: email, change: Answers[changes])));

        var stored = (await factory.InquiriesAsync()).Single(i => i.Email == email);
        Assert.Equal(outcome, stored.Outcome);
        Assert.Equal([reason], stored.ScreeningReasons);
        var (admin, _) = await factory.SignedInClientAsync();
        var page = await admin.GetDocumentAsync($"/admin/inquiries/{stored.Id}");
        var answers = page.QuerySelectorAll(".answer").ToDictionary(a => a.QuerySelector("dt")!.TextContent, a => a.QuerySelector("dd")!.TextContent);
        Assert.Equal(shown, answers[question]);
        Assert.Equal([reason], page.QuerySelectorAll("section.screening li").Select(li => li.TextContent));
    }

    [Fact]
    public async Task When_use_was_last_a_problem_is_not_kept_from_someone_for_whom_it_is_a_problem_now()
    {
        var email = $"kap-{Guid.NewGuid():N}@example.com";
        var client = factory.NewClient();

        InquiryForms.AssertRedirectedToConfirmation(await client.SubmitInquiryAsync(
            InquiryForms.Valid(email: email, change: i => { i.SubstanceUse = SubstanceUse.CurrentlyAProblem; i.SubstanceUseLastProblem = null; })));

        var stored = (await factory.InquiriesAsync()).Single(i => i.Email == email);
        Assert.Null(stored.SubstanceUseLastProblem);
        Assert.Equal(["Likely not a fit now: Alcohol or drug use is currently a problem."], stored.ScreeningReasons);
    }

    [Fact]
    public async Task A_follow_up_answer_posted_by_someone_for_whom_use_is_a_problem_now_is_dropped_with_a_single_reason()
    {
        var email = $"kap-{Guid.NewGuid():N}@example.com";

        InquiryForms.AssertRedirectedToConfirmation(await factory.NewClient().SubmitInquiryAsync(
            InquiryForms.Valid(email: email, change: i => { i.SubstanceUse = SubstanceUse.CurrentlyAProblem; i.SubstanceUseLastProblem = SubstanceUseLastProblem.WithinThreeMonths; })));

        var stored = (await factory.InquiriesAsync()).Single(i => i.Email == email);
        Assert.Null(stored.SubstanceUseLastProblem);
        Assert.Equal(["Likely not a fit now: Alcohol or drug use is currently a problem."], stored.ScreeningReasons);
    }

    [Fact]
    public async Task An_inquiry_stored_before_the_new_questions_shows_them_as_not_asked()
    {
        var email = $"kap-{Guid.NewGuid():N}@example.com";
        InquiryForms.AssertRedirectedToConfirmation(await factory.NewClient().SubmitInquiryAsync(InquiryForms.Valid(email: email)));
        var id = (await factory.InquiriesAsync()).Single(i => i.Email == email).Id;
        // What the migration leaves in the new columns of a row stored before it: nothing at all.
        await factory.WithDbAsync(db => db.Database.ExecuteSqlAsync(
            $"UPDATE Inquiries SET SeizuresOrEpilepsy = NULL, DissociativeDisorder = NULL, FamilyPsychoticDisorder = NULL, SubstanceUseLastProblem = NULL WHERE Id = {id}"));
        var (admin, _) = await factory.SignedInClientAsync();

        var page = await admin.GetDocumentAsync($"/admin/inquiries/{id}");
        var summary = await admin.GetDocumentAsync($"/admin/inquiries/{id}/print");

        foreach (var document in new[] { page, summary })
        {
            var answers = document.QuerySelectorAll(".answer").ToDictionary(a => a.QuerySelector("dt")!.TextContent, a => a.QuerySelector("dd")!.TextContent);
            foreach (var question in new[] { Questions.SeizuresOrEpilepsy, Questions.DissociativeDisorder, Questions.FamilyPsychoticDisorder, Questions.SubstanceUseLastProblem })
            {
                Assert.Equal("Not asked", answers[question]);
            }
        }
    }

    [Fact]
    public async Task The_new_answers_are_not_readable_in_the_database_file()
    {
        var email = $"kap-{Guid.NewGuid():N}@example.com";
        InquiryForms.AssertRedirectedToConfirmation(await factory.NewClient().SubmitInquiryAsync(
            InquiryForms.Valid(email: email, change: i => { i.SeizuresOrEpilepsy = YesNoNotSure.NotSure; i.SubstanceUseLastProblem = SubstanceUseLastProblem.ThreeToTwelveMonthsAgo; })));
        var id = (await factory.InquiriesAsync()).Single(i => i.Email == email).Id;

        var stored = await factory.WithDbAsync(db => db.Database
            .SqlQuery<string>($"SELECT typeof(SeizuresOrEpilepsy) || ',' || typeof(DissociativeDisorder) || ',' || typeof(FamilyPsychoticDisorder) || ',' || typeof(SubstanceUseLastProblem) AS Value FROM Inquiries WHERE Id = {id}")
            .SingleAsync());

        Assert.Equal("blob,blob,blob,blob", stored);
        Assert.False(AtRest.AtRest.ContainsText(AtRest.AtRest.DatabaseBytes(factory.DatabaseFile), "ThreeToTwelveMonthsAgo"), "the answer is readable in the database files");
    }
}
