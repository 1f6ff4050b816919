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
            .Select(group => group.Select(Screening.ReasonText).MaxBy(Encoding.UTF8.GetByteCount)!)
            .ToList();
        var plaintext = 1 + Encoding.UTF8.GetByteCount(JsonSerializer.Serialize(longest)) + 1;

        Assert.True(plaintext <= ClientDataModel.ScreeningReasonsLength, $"{plaintext} bytes of reasons do not fit in {ClientDataModel.ScreeningReasonsLength}");
    }
}
