using System.Text;
using System.Text.Json;
using KapPractice.Web.Domain;
using KapPractice.Web.Features.Inquiries;
using KapPractice.Web.Infrastructure.Data.Encryption;

namespace KapPractice.UnitTests.Infrastructure.Data;

/// <summary>The screening reasons are padded to one length (ClientDataModel.ScreeningReasonsLength): every list the rules can give must fit in it.</summary>
public sealed class SealedReasonsLengthTests
{
    [Fact]
    public void The_longest_list_of_reasons_the_rules_can_give_fits_the_padded_length()
    {
        // At most one rule per question applies (each has one answer), except the medications, which can all be ticked.
        var longest = Screening.Rules
            .GroupBy(rule => rule.Question == nameof(Inquiry.Medications) ? rule.Reason : rule.Question)
            .Select(group => group.MaxBy(rule => Encoding.UTF8.GetByteCount($"{Labels.For(rule.Outcome)}: {rule.Reason}"))!)
            .Select(rule => $"{Labels.For(rule.Outcome)}: {rule.Reason}")
            .ToList();
        var plaintext = 1 + Encoding.UTF8.GetByteCount(JsonSerializer.Serialize(longest)) + 1;

        Assert.True(plaintext <= ClientDataModel.ScreeningReasonsLength, $"{plaintext} bytes of reasons do not fit in {ClientDataModel.ScreeningReasonsLength}");
    }

    [Fact]
    public void The_reasons_of_an_inquiry_with_many_contraindications_and_of_one_with_none_are_sealed_at_one_length()
    {
        var many = Screening.Evaluate(ValidInquiry.Entity("SelfHarmThoughts=Yes; PsychoticDisorder=Yes; BloodPressure=NotSure; Medications=Benzodiazepines,Stimulants,Opioids,Maois,Lamotrigine,Gabapentinoids,Other; MedicationOther=x"));
        var binding = SealBinding.Fixed("Inquiries", "ScreeningReasons", ClientDataModel.ScreeningReasonsLength - 1);

        Assert.Equal(binding.PaddedLengthFor(1 + Encoding.UTF8.GetByteCount(JsonSerializer.Serialize(many.Reasons))), binding.PaddedLengthFor(1 + "[]".Length));
        Assert.True(many.Reasons.Count >= 9);
    }
}
