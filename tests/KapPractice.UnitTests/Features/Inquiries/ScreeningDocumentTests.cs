using System.Collections;
using System.Runtime.CompilerServices;
using System.Text;
using KapPractice.Web.Domain;
using KapPractice.Web.Features.Inquiries;

namespace KapPractice.UnitTests.Features.Inquiries;

/// <summary>
/// docs/screening.md is what the prescriber reviews: its rules section must say exactly what <see cref="Screening.Rules"/>
/// does, in the form's own words. When a rule changes, run this class with KAP_WRITE_DOCS=1 to rewrite the section.
/// </summary>
public sealed class ScreeningDocumentTests
{
    private const string Start = "<!-- rules: generated from Screening.Rules by ScreeningDocumentTests; do not edit by hand -->";
    private const string End = "<!-- end of rules -->";

    [Fact]
    public void The_document_lists_every_rule_as_the_screening_applies_it()
    {
        var path = DocumentPath();
        var document = File.ReadAllText(path).ReplaceLineEndings("\n");
        var start = document.IndexOf(Start, StringComparison.Ordinal);
        var end = document.IndexOf(End, StringComparison.Ordinal);
        Assert.True(start >= 0 && end > start, $"{path} has no rules section between '{Start}' and '{End}'");
        var written = document[(start + Start.Length)..end];
        var expected = "\n\n" + RulesSection() + "\n";

        if (written != expected && Environment.GetEnvironmentVariable("KAP_WRITE_DOCS") == "1")
        {
            File.WriteAllText(path, document[..(start + Start.Length)] + expected + document[end..]);
            written = expected;
        }

        Assert.Equal(expected, written);
    }

    [Fact]
    public void Each_rule_fires_for_the_answer_it_names()
    {
        foreach (var rule in Screening.Rules)
        {
            // The rule names its question and holds its answer as a typed value: the one medication ticked, or the question's answer.
            var inquiry = ValidInquiry.Entity(i =>
            {
                if (rule.Answer is Medication medication)
                {
                    i.Medications = [medication];
                }
                else
                {
                    typeof(InquiryForm).GetProperty(rule.Question)!.SetValue(i, rule.Answer);
                }

                FollowUp(rule)(i);
            });

            Assert.Contains($"{Labels.For(rule.Outcome)}: {rule.Reason}", Screening.Evaluate(inquiry).Reasons);
        }
    }

    /// <summary>The answers a rule's condition needs, so the form is one a person could send.</summary>
    private static Action<InquiryForm> FollowUp(ScreeningRule rule) => rule.Question switch
    {
        nameof(InquiryForm.Bipolar) => i => i.ManicOrMixedEpisode = YesNoNotSure.No,
        nameof(InquiryForm.ManicOrMixedEpisode) => i => i.Bipolar = YesNoNotSure.Yes,
        _ => _ => { },
    };

    private static string RulesSection()
    {
        var text = new StringBuilder();
        var screened = Screening.Rules.Select(rule => rule.Question).Distinct().OrderBy(question => IndexOnForm(question)).ToList();
        foreach (var question in screened)
        {
            var rules = Screening.Rules.Where(rule => rule.Question == question).ToList();
            var answers = AnswersOffered(rules[0].Answer.GetType());
            text.Append(CultureInfo, $"### {QuestionText(question)}\n\n");
            text.Append("| Answer | Outcome | What the practitioner reads |\n| --- | --- | --- |\n");
            foreach (var rule in rules)
            {
                var answer = answers[rule.Answer] + (rule.Condition is null ? "" : $" ({rule.Condition})");
                text.Append(CultureInfo, $"| {answer} | {Labels.For(rule.Outcome)} | {rule.Reason} |\n");
            }

            var silent = answers.Where(a => rules.TrueForAll(rule => !rule.Answer.Equals(a.Key))).Select(a => a.Value).ToList();
            if (silent.Count > 0)
            {
                text.Append(CultureInfo, $"\nRaises nothing: {string.Join("; ", silent)}.\n");
            }

            text.Append('\n');
        }

        var unscreened = typeof(Questions).GetFields().Select(field => field.Name).Except(screened).OrderBy(IndexOnForm);
        text.Append("### Questions that never change the outcome\n\n");
        foreach (var question in unscreened)
        {
            text.Append(CultureInfo, $"- {QuestionText(question)}\n");
        }

        return text.ToString();
    }

    private static IFormatProvider CultureInfo => System.Globalization.CultureInfo.InvariantCulture;

    private static int IndexOnForm(string question) => InquiryForm.FieldOrder.ToList().IndexOf(question);

    private static string QuestionText(string question) =>
        (string)(typeof(Questions).GetField(question)?.GetValue(null) ?? throw new InvalidOperationException($"No question text for {question}"));

    /// <summary>The answers the form offers for an answer set, in its order and words (InquiryLabels).</summary>
    private static Dictionary<Enum, string> AnswersOffered(Type answerSet)
    {
        var offered = typeof(InquiryLabels).GetProperty(answerSet.Name)?.GetValue(null) as IEnumerable
            ?? throw new InvalidOperationException($"InquiryLabels has no list for {answerSet.Name}");
        return offered.Cast<ITuple>().ToDictionary(choice => (Enum)choice[0]!, choice => (string)choice[1]!);
    }

    private static string DocumentPath()
    {
        var folder = new DirectoryInfo(AppContext.BaseDirectory);
        while (folder is not null && !File.Exists(Path.Combine(folder.FullName, "KapPractice.sln")))
        {
            folder = folder.Parent;
        }

        return Path.Combine(folder?.FullName ?? throw new InvalidOperationException("No KapPractice.sln above this file"), "docs", "screening.md");
    }
}
