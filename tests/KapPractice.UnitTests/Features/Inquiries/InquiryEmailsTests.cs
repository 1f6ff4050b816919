using KapPractice.Web.Infrastructure;
using KapPractice.Web.Domain;
using KapPractice.Web.Infrastructure.Email;
using KapPractice.Web.Features.Inquiries;
using MimeKit;

namespace KapPractice.UnitTests.Features.Inquiries;

public sealed class InquiryEmailsTests
{
    /// <summary>Each case's answers, typed on the form; the key is only the case's name in the test list.</summary>
    private static readonly Dictionary<string, Action<InquiryForm>> Answers = new()
    {
        ["SelfHarmThoughts=Yes"] = i => i.SelfHarmThoughts = YesNo.Yes,
        ["Adult=No"] = i => i.Adult = YesNo.No,
        ["BloodPressure=NotSure"] = i => i.BloodPressure = BloodPressure.NotSure,
        [""] = i => { },
    };

    private static readonly DateTimeOffset Now = new(2026, 3, 2, 9, 30, 0, TimeSpan.Zero);
    private static readonly PracticeOptions Practice = new() { ContactEmail = "practice@kap.test", SiteUrl = "https://kap.test/" };
    private static readonly PracticeClock Clock = new(Microsoft.Extensions.Options.Options.Create(new PracticeOptions()), TimeProvider.System);

    [Theory]
    [InlineData("SelfHarmThoughts=Yes", ScreeningOutcome.Urgent, "URGENT: new inquiry #7")]
    [InlineData("Adult=No", ScreeningOutcome.LikelyNotAFitNow, "New inquiry #7")]
    [InlineData("BloodPressure=NotSure", ScreeningOutcome.NeedsMedicalReview, "New inquiry #7")]
    [InlineData("", ScreeningOutcome.LikelyEligible, "New inquiry #7")]
    public void The_subject_marks_urgency_but_never_the_outcome_a_health_word_or_the_name(string answers, ScreeningOutcome outcome, string subject)
    {
        var inquiry = ValidInquiry.Entity(Answers[answers], id: 7);

        var message = Notification(inquiry);

        Assert.Equal(outcome, inquiry.Outcome);
        Assert.Equal(subject, message.Subject);
    }

    [Fact]
    public void The_notification_holds_every_answer_group_and_the_screening_in_both_parts()
    {
        var message = Notification(Ana());

        foreach (var body in new[] { message.TextBody, message.HtmlBody })
        {
            foreach (var expected in new[] { "Contact", "Basics", "What brings you", "Safety", "Medical screening", "Consents",
                "Needs medical review", "Takes lamotrigine", "Lamotrigine", "PTSD or trauma", "If something else, what is it?", "nightmares", "Not sure",
                "Do you have high blood pressure?", "Yes, treated and under control", "Are you in a manic or mixed episode now?",
                "https://kap.test/admin/inquiries/7" })
            {
                Assert.Contains(expected, body, StringComparison.Ordinal);
            }
        }

        Assert.Equal("msg-7@kap.test", message.MessageId);
        Assert.Equal(Now, message.Date);
        Assert.Equal("auto-generated", message.Headers["Auto-Submitted"]);
        Assert.Equal("no-reply@kap.test", message.From.Mailboxes.Single().Address);
        Assert.Equal(("Ana Example", "ana@client.test"), (message.ReplyTo.Mailboxes.Single().Name, message.ReplyTo.Mailboxes.Single().Address));
    }

    [Theory]
    [InlineData(NotificationDetail.Full, "New inquiry #7, received 2026-01-01 22:04 Eastern")]
    [InlineData(NotificationDetail.Minimal, "A new inquiry (#7) arrived on 2026-01-01 22:04 Eastern.")]
    public void The_notification_gives_the_arrival_in_the_practice_zone_with_its_name(NotificationDetail detail, string expected)
    {
        // ValidInquiry arrives at 2026-01-02 03:04:05 UTC: the evening before in New York (UTC-5 in January).
        var message = Notification(ValidInquiry.Entity(id: 7), detail);

        Assert.Contains(expected, message.TextBody, StringComparison.Ordinal);
        Assert.Contains(System.Net.WebUtility.HtmlEncode(expected), message.HtmlBody, StringComparison.Ordinal);
        Assert.DoesNotContain("UTC", message.TextBody, StringComparison.Ordinal);
    }

    [Fact]
    public void The_manic_episode_question_reads_not_asked_when_bipolar_was_no()
    {
        var message = Notification(Ana(i => i.Bipolar = YesNoNotSure.No));

        Assert.Contains("Are you in a manic or mixed episode now?\n    Not asked\n", message.TextBody!.ReplaceLineEndings("\n"), StringComparison.Ordinal);
    }

    [Fact]
    public void Everything_the_client_typed_is_html_encoded()
    {
        var message = Notification(Ana(i =>
        {
            i.FullName = "<script>alert(1)</script>";
            i.Pronouns = "\"they\"";
            i.Phone = "<a href=x>call</a>";
            i.ConcernOther = "<iframe>";
            i.Medications = [Medication.Lamotrigine, Medication.Other];
            i.MedicationOther = "<svg onload=alert(3)>";
            i.Message = "line one <b>\nline two";
        }));

        var html = message.HtmlBody;
        foreach (var raw in new[] { "<script", "<a href=x", "<iframe", "<svg", "<b>" })
        {
            Assert.DoesNotContain(raw, html, StringComparison.OrdinalIgnoreCase);
        }

        Assert.Contains("&lt;script&gt;alert(1)&lt;/script&gt;", html, StringComparison.Ordinal);
        Assert.Contains("&quot;they&quot;", html, StringComparison.Ordinal);
        Assert.Contains("line one &lt;b&gt;<br>line two", html, StringComparison.Ordinal);
    }

    [Fact]
    public void Minimal_detail_leaves_out_every_answer_the_outcome_and_the_client()
    {
        var message = Notification(Ana(), NotificationDetail.Minimal);

        Assert.Equal("New inquiry #7", message.Subject);
        Assert.Empty(message.ReplyTo);
        foreach (var body in new[] { message.TextBody, message.HtmlBody })
        {
            foreach (var detail in new[] { "Ana", "ana@client.test", "lamotrigine", "medical review", "nightmares", "Depression", "Blood pressure", "not sure" })
            {
                Assert.DoesNotContain(detail, body, StringComparison.OrdinalIgnoreCase);
            }

            Assert.Contains("https://kap.test/admin/inquiries/7", body, StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData(NotificationDetail.Full, "")]
    [InlineData(NotificationDetail.Minimal, "")]
    [InlineData(NotificationDetail.Full, null)]
    [InlineData(NotificationDetail.Minimal, "  ")]
    public void Without_a_site_url_the_notification_says_how_to_find_the_inquiry_instead_of_a_broken_link(NotificationDetail detail, string? siteUrl)
    {
        var practice = new PracticeOptions { ContactEmail = "practice@kap.test", SiteUrl = siteUrl };

        var message = InquiryEmails.Compose(Row(Ana(), OutboxKind.PractitionerNotification, practice.ContactEmail), Email(detail), practice, Clock, Now);

        foreach (var body in new[] { message.TextBody, message.HtmlBody })
        {
            Assert.Contains("Sign in to the admin area of the site and open inquiry #7", body, StringComparison.Ordinal);
            Assert.DoesNotContain("/admin/inquiries", body, StringComparison.Ordinal);
        }

        Assert.DoesNotContain("<a ", message.HtmlBody, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(null, true)]
    [InlineData("", true)]
    [InlineData("https://www.example.org", true)]
    [InlineData("https://www.example.org/", true)]
    [InlineData("http://localhost:5000", true)]
    [InlineData("www.example.org", false)]
    [InlineData("/", false)]
    [InlineData("ftp://example.org", false)]
    [InlineData("javascript:alert(1)", false)]
    [InlineData("https://example.org/?a=1", false)]
    public void The_site_url_is_empty_or_an_absolute_http_address(string? siteUrl, bool valid)
    {
        var result = new PracticeOptionsValidation().Validate(null, new PracticeOptions { SiteUrl = siteUrl });

        Assert.Equal(valid, result.Succeeded);
    }

    [Fact]
    public void The_acknowledgement_has_the_crisis_line_and_nothing_the_client_typed_or_answered()
    {
        var inquiry = Ana(i => { i.SelfHarmThoughts = YesNo.Yes; i.FullName = "Ana <b>Example</b>"; });
        var row = Row(inquiry, OutboxKind.ClientAcknowledgement, inquiry.Email);

        var message = InquiryEmails.Compose(row, Email(), Practice, Clock, Now);

        Assert.Equal("ana@client.test", message.To.Mailboxes.Single().Address);
        Assert.Equal("", message.To.Mailboxes.Single().Name ?? "");
        Assert.Equal("practice@kap.test", message.ReplyTo.Mailboxes.Single().Address);
        foreach (var body in new[] { message.TextBody, message.HtmlBody, message.Subject })
        {
            foreach (var detail in new[] { "Ana", "Example", "urgent", "self-harm", "lamotrigine", "review", "eligible", "fit", "ketamine" })
            {
                Assert.DoesNotContain(detail, body, StringComparison.OrdinalIgnoreCase);
            }
        }

        Assert.Contains("988", message.TextBody, StringComparison.Ordinal);
        Assert.Contains("text HOME to 741741", message.TextBody, StringComparison.Ordinal);
        Assert.Contains("call 911", message.HtmlBody, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(YesNoNotSure.NotSure, "Not sure")]
    [InlineData(Concern.PtsdOrTrauma, "PTSD or trauma")]
    [InlineData(Treatment.TmsOrEct, "TMS or ECT")]
    [InlineData(Medication.Maois, "MAOIs")]
    [InlineData(BloodPressure.HighAndNotControlled, "Yes, high and not under control")]
    [InlineData(ScreeningOutcome.LikelyNotAFitNow, "Likely not a fit now")]
    public void Answers_read_as_words(object answer, string label)
    {
        var method = typeof(Labels).GetMethod(nameof(Labels.For))!.MakeGenericMethod(answer.GetType());

        Assert.Equal(label, method.Invoke(null, [answer]));
    }

    private static MimeMessage Notification(Inquiry inquiry, NotificationDetail detail = NotificationDetail.Full) =>
        InquiryEmails.Compose(Row(inquiry, OutboxKind.PractitionerNotification, Practice.ContactEmail), Email(detail), Practice, Clock, Now);

    private static EmailOptions Email(NotificationDetail detail = NotificationDetail.Full) =>
        new() { From = "no-reply@kap.test", NotificationDetail = detail };

    private static OutboxMessage Row(Inquiry inquiry, OutboxKind kind, string recipient) =>
        new() { Id = 3, InquiryId = inquiry.Id, Inquiry = inquiry, Kind = kind, Recipient = recipient, MessageId = "msg-7@kap.test" };

    /// <summary>Inquiry #7 from Ana: a concern in her own words, "not sure" about New York, and answers that need medical review.</summary>
    private static Inquiry Ana(Action<InquiryForm>? change = null) => ValidInquiry.Entity(
        i =>
        {
            i.FullName = "Ana Example";
            i.Email = "ana@client.test";
            i.Concerns = [Concern.PtsdOrTrauma, Concern.Other];
            i.ConcernOther = "nightmares";
            i.InNewYork = YesNoNotSure.NotSure;
            i.Bipolar = YesNoNotSure.Yes;
            i.ManicOrMixedEpisode = YesNoNotSure.No;
            i.BloodPressure = BloodPressure.TreatedAndControlled;
            i.Medications = [Medication.Lamotrigine];
            change?.Invoke(i);
        },
        id: 7);
}
