using KapPractice.Web.Domain;
using KapPractice.Web.Features.Inquiries;
using KapPractice.Web.Infrastructure.Data;

namespace KapPractice.UnitTests.Domain;

public sealed class FormWordingTests
{
    public static TheoryData<Type> AnswerSets =>
    [
        .. typeof(InquiryForm).GetProperties()
            .Select(p => Nullable.GetUnderlyingType(p.PropertyType) ?? (p.PropertyType.IsGenericType ? p.PropertyType.GetGenericArguments()[0] : p.PropertyType))
            .Where(t => t.IsEnum)
            .Distinct(),
    ];

    [Theory]
    [MemberData(nameof(AnswerSets))]
    public void Every_answer_the_form_offers_has_its_words_in_declaration_order(Type answerSet)
    {
        var choices = (System.Collections.IEnumerable)typeof(AnswerLabels).GetMethod(nameof(AnswerLabels.Choices))!
            .MakeGenericMethod(answerSet).Invoke(null, null)!;

        var values = choices.Cast<object>().Select(c => ((System.Runtime.CompilerServices.ITuple)c)[0]).ToList();
        var labels = choices.Cast<object>().Select(c => (string)((System.Runtime.CompilerServices.ITuple)c)[1]!).ToList();
        Assert.Equal(Enum.GetValues(answerSet).Cast<object>(), values);
        Assert.All(labels, label => Assert.False(string.IsNullOrWhiteSpace(label)));
        Assert.Equal(labels.Count, labels.Distinct().Count());
    }

    [Fact]
    public void A_status_is_not_an_answer()
    {
        Assert.False(AnswerLabels.TryGet(InquiryStatus.Closed, out _));
        Assert.True(AnswerLabels.TryGet(BloodPressure.TreatedAndControlled, out var words));
        Assert.Equal("Yes, treated and under control", words);
    }
}
