using KapPractice.Web.Features.InquiryReview;
using KapPractice.Web.Domain;

namespace KapPractice.UnitTests.Features.InquiryReview;

public sealed class InquiryCsvTests
{
    [Theory]
    [InlineData("=1+1", "'=1+1")]
    [InlineData("+15550100", "'+15550100")]
    [InlineData("-2", "'-2")]
    [InlineData("@SUM(A1:A2)", "'@SUM(A1:A2)")]
    [InlineData("\tcmd", "'\tcmd")]
    [InlineData("\rcmd", "'\rcmd")]
    [InlineData("José O'Brien", "José O'Brien")]
    [InlineData("a=b", "a=b")]
    [InlineData("", "")]
    public void Guard_prefixes_only_cells_that_start_like_a_formula(string cell, string expected) =>
        Assert.Equal(expected, InquiryCsv.Guard(cell));
}

public sealed class LabelsTests
{
    [Fact]
    public void Answers_read_in_the_forms_words_and_states_as_words_with_acronyms_kept()
    {
        Assert.Equal("Not sure", Labels.For(YesNoNotSure.NotSure));
        Assert.Equal("PTSD or trauma", Labels.For(Concern.PtsdOrTrauma));
        Assert.Equal("MAOIs", Labels.For(Medication.Maois));
        Assert.Equal("Consultation booked", Labels.For(InquiryStatus.ConsultationBooked));
        Assert.Equal("Likely not a fit now", Labels.For(ScreeningOutcome.LikelyNotAFitNow));
        Assert.Equal("Telehealth (video)", Labels.For(SessionFormat.Telehealth));
        Assert.Equal("Something else", Labels.For(Concern.Other));
        Assert.Equal("Another medication", Labels.For(Medication.Other));
        Assert.Equal("Other psychiatric medication", Labels.For(Treatment.OtherPsychiatricMedication));
    }

    [Fact]
    public void Every_answer_value_has_a_label_without_run_together_words()
    {
        Type[] answerSets = [typeof(YesNo), typeof(YesNoNotSure), typeof(ContactMethod), typeof(SessionFormat), typeof(Concern), typeof(Treatment),
            typeof(BloodPressure), typeof(PressureControl), typeof(Severity), typeof(SubstanceUse), typeof(KetamineHistory), typeof(Medication),
            typeof(Prescriber), typeof(ScreeningOutcome), typeof(InquiryStatus)];
        foreach (var type in answerSets)
        {
            foreach (Enum value in Enum.GetValues(type))
            {
                var label = (string)typeof(Labels).GetMethod(nameof(Labels.For))!.MakeGenericMethod(type).Invoke(null, [value])!;
                Assert.False(string.IsNullOrWhiteSpace(label));
                Assert.DoesNotMatch("[a-z][A-Z]", label);
            }
        }
    }

    [Fact]
    public void Utc_times_are_iso_8601_with_a_z()
    {
        Assert.Equal("2026-01-02T03:04:05Z", Labels.Utc(new DateTime(2026, 1, 2, 3, 4, 5, DateTimeKind.Utc)));
    }
}
