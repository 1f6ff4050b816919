using KapPractice.Web.Domain;
using System.Text;
using AngleSharp.Dom;
using AngleSharp.Html.Dom;
using AngleSharp.Html.Parser;
using CsvHelper;
using KapPractice.IntegrationTests.Inquiries;
using KapPractice.Web.Infrastructure.Email;
using Microsoft.EntityFrameworkCore;

namespace KapPractice.IntegrationTests;

/// <summary>
/// The practitioner reads each answer under the question the client was asked, in the words of the
/// option the client chose, in the email, on the admin page and in the export; and counts read as English.
/// </summary>
[Collection(SharedMailApp.Name)]
public sealed class WordingTests(SharedMail shared)
{
    [Fact]
    public async Task Each_answer_reads_as_the_question_on_the_form_in_the_email_the_admin_page_and_the_csv()
    {
        await using var mail = await shared.StartAsync(); // Spam:MinimumFillTime is 0 on every harness
        var visitor = mail.Factory.NewClient();
        var form = await visitor.GetDocumentAsync(InquiryForms.Url);
        var posted = InquiryForms.Valid("Ana Example", "ana@client.test", i =>
        {
            i.BloodPressure = BloodPressure.No;
            i.EyeOrSkullPressure = PressureControl.Controlled;
            i.Bipolar = YesNoNotSure.NotSure;
            i.ManicOrMixedEpisode = YesNoNotSure.No;
            i.Prescriber = Prescriber.PrimaryCareOnly;
        });
        var expected = QuestionsAndAnswers(form, posted);
        // The example from the issue, in the form's own words.
        Assert.Equal(["No"], expected["Do you have high blood pressure?"]);
        Assert.True(expected.Count >= 25, $"only {expected.Count} questions found on the form");

        InquiryForms.AssertRedirectedToConfirmation(await visitor.SubmitInquiryAsync(posted));

        await mail.Smtp.WaitForAsync(_ => mail.To(MailHarness.PracticeAddress).Count == 1);
        var notification = mail.To(MailHarness.PracticeAddress)[0];
        var lines = notification.TextBody.Split('\n').Select(line => line.Trim()).ToList();
        var cells = new HtmlParser().ParseDocument(notification.HtmlBody).QuerySelectorAll("tr")
            .ToDictionary(row => row.QuerySelector("th")!.TextContent, row => row.QuerySelector("td")!.TextContent);
        var (admin, _) = await mail.Factory.SignedInClientAsync();
        var id = Assert.Single(await mail.Factory.InquiriesAsync()).Id;
        var page = await admin.GetDocumentAsync($"/admin/inquiries/{id}");
        var shown = page.QuerySelectorAll(".answer").ToDictionary(a => a.QuerySelector("dt")!.TextContent, a => a.QuerySelector("dd")!.TextContent);
        using var export = await admin.GetAsync(new Uri("/admin/export", UriKind.Relative));
        var row = Assert.Single(await ReadCsvAsync(export));

        foreach (var (question, words) in expected)
        {
            var at = lines.IndexOf(question);
            Assert.True(at >= 0, $"the email's text has no line \"{question}\"");
            foreach (var answer in words)
            {
                Assert.Contains(answer, lines[at + 1], StringComparison.Ordinal);
                Assert.Contains(answer, cells[question], StringComparison.Ordinal);
                Assert.Contains(answer, shown[question], StringComparison.Ordinal);
                Assert.Contains(answer, row[question], StringComparison.Ordinal);
            }
        }
    }

    [Fact]
    public async Task One_attempt_reads_as_one_attempt()
    {
        await using var mail = await MailHarness.StartAsync(
            f => f.WithSetting("Spam:MinimumFillTime", "00:00:00").WithSetting("Email:MaxAttempts", "1"),
            smtpRunning: false);

        InquiryForms.AssertRedirectedToConfirmation(await mail.Factory.NewClient().SubmitInquiryAsync(InquiryForms.Valid()));
        var id = Assert.Single(await mail.Factory.InquiriesAsync()).Id;
        await Eventually.TrueAsync(
            () => mail.Factory.WithDbAsync(db => db.OutboxMessages.AnyAsync(m => m.InquiryId == id && m.Kind == OutboxKind.PractitionerNotification && m.State == OutboxState.Failed)),
            what: "the notification to fail");
        var (admin, _) = await mail.Factory.SignedInClientAsync();

        var page = await admin.GetDocumentAsync($"/admin/inquiries/{id}");

        var notification = page.QuerySelectorAll(".emails li").Single(li => li.TextContent.Contains("Notification to you", StringComparison.Ordinal)).TextContent;
        Assert.Contains(", 1 attempt", notification, StringComparison.Ordinal);
        Assert.DoesNotContain("1 attempts", notification, StringComparison.Ordinal);
        Assert.Contains("Gave up after 1 attempt.", notification, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Counts_of_one_in_the_admin_list_read_in_the_singular()
    {
        await using var app = new AdminFactory().WithSetting("Spam:MinimumFillTime", "00:00:00");
        var tag = Guid.NewGuid().ToString("N")[..8];
        InquiryForms.AssertRedirectedToConfirmation(await app.NewClient().SubmitInquiryAsync(InquiryForms.Valid($"Sam {tag}")));
        InquiryForms.AssertRedirectedToConfirmation(await app.NewClient().SubmitInquiryAsync(InquiryForms.Valid(change: i => i.Website = "https://spam.example")));
        var (admin, _) = await app.SignedInClientAsync();

        var list = await admin.GetDocumentAsync("/admin");
        var filtered = await admin.GetDocumentAsync($"/admin?q={tag}");

        var spamHint = list.QuerySelectorAll("p.hint").Single(p => p.QuerySelector("a[href='/admin/spam']") is not null);
        Assert.Equal("1 suspected spam submission is kept in its own tab.", spamHint.TextContent.Trim());
        Assert.Equal("1 inquiry", list.QuerySelector(".list-summary span")!.TextContent.Trim());
        Assert.Equal("1 inquiry matches", filtered.QuerySelector(".list-summary span")!.TextContent.Trim());
    }

    /// <summary>Each question on the form (legend or label) with the words of the answer posted for it; blanks and consents left out.</summary>
    private static Dictionary<string, List<string>> QuestionsAndAnswers(IDocument form, List<KeyValuePair<string, string>> posted)
    {
        var answers = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        foreach (var question in form.QuerySelectorAll(".question"))
        {
            var optional = question.QuerySelector(".optional")?.TextContent ?? "";
            var text = question.TextContent[..^optional.Length].Trim();
            var field = question is IHtmlLabelElement label
                ? label.HtmlFor!
                : question.ParentElement!.QuerySelector<IHtmlInputElement>("input")!.Name!;
            var values = posted.Where(p => p.Key == field && p.Value.Length > 0).Select(p => p.Value).ToList();
            if (values.Count == 0)
            {
                continue;
            }

            answers[text] = [.. values.Select(value => form.QuerySelectorAll<IHtmlInputElement>($"input[name={field}]")
                .FirstOrDefault(input => input.Type is "radio" or "checkbox" && input.Value == value) is { } choice
                    ? form.QuerySelector($"label[for='{choice.Id}']")!.TextContent.Trim()
                    : value)];
        }

        return answers;
    }

    private static async Task<List<Dictionary<string, string>>> ReadCsvAsync(HttpResponseMessage response)
    {
        var bytes = await response.Content.ReadAsByteArrayAsync();
        using var csv = CsvReader.FromText(Encoding.UTF8.GetString(bytes[Encoding.UTF8.GetPreamble().Length..]));
        var rows = new List<Dictionary<string, string>>();
        while (csv.Read())
        {
            rows.Add(csv.Headers.Select((name, index) => (name, index)).ToDictionary(h => h.name, h => csv.GetString(h.index)));
        }

        return rows;
    }
}
