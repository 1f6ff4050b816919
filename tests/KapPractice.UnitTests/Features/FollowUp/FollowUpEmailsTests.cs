using KapPractice.Web.Domain;
using KapPractice.Web.Features.FollowUp;
using KapPractice.Web.Infrastructure;
using KapPractice.Web.Infrastructure.Email;
using Microsoft.Extensions.Options;

namespace KapPractice.UnitTests.Features.FollowUp;

public sealed class FollowUpEmailsTests
{
    // 14:00 UTC on Monday 2 March 2026 is 09:00 in New York (EST, UTC-5).
    private static readonly DateTimeOffset Now = new(2026, 3, 2, 14, 0, 0, TimeSpan.Zero);
    private static readonly PracticeClock Clock = new(Options.Create(new PracticeOptions()), TimeProvider.System);
    private static readonly EmailOptions Email = new() { From = "no-reply@kap.test" };
    private static readonly PracticeOptions Practice = new() { ContactEmail = "practice@kap.test", SiteUrl = "https://kap.test/" };

    private static OutboxMessage Row(OutboxKind kind, int? inquiryId = null) =>
        new() { Id = 9, InquiryId = inquiryId, Kind = kind, Recipient = "practice@kap.test", MessageId = "digest-1@kap.test" };

    [Fact]
    public void The_digest_gives_the_three_counts_the_time_and_a_link_to_the_list()
    {
        var message = FollowUpEmails.Digest(new WaitingCounts(New: 3, Overdue: 1, Urgent: 2), 2, Row(OutboxKind.PractitionerDigest), Email, Practice, Clock, Now);

        Assert.Equal("Inquiries waiting for a reply: 3 new, 2 urgent", message.Subject);
        Assert.Equal("practice@kap.test", message.To.Mailboxes.Single().Address);
        Assert.Equal("digest-1@kap.test", message.MessageId);
        Assert.Equal(
            "Inquiries waiting for a first reply on 2026-03-02 09:00 Eastern:\n- New: 3\n- Overdue (still New after 2 business days): 1\n- Urgent (still New): 2\n\nSee them in the admin area: https://kap.test/admin\n",
            message.TextBody!.ReplaceLineEndings("\n"));
        Assert.Contains("<li>New: 3</li>", message.HtmlBody, StringComparison.Ordinal);
        Assert.Contains("<a href=\"https://kap.test/admin\">", message.HtmlBody, StringComparison.Ordinal);
    }

    [Fact]
    public void Without_a_site_url_the_digest_says_to_sign_in()
    {
        var message = FollowUpEmails.Digest(new WaitingCounts(1, 0, 0), 1, Row(OutboxKind.PractitionerDigest), Email, new PracticeOptions { ContactEmail = "practice@kap.test" }, Clock, Now);

        Assert.Equal("Inquiries waiting for a reply: 1 new", message.Subject);
        Assert.Contains("Overdue (still New after 1 business day): 0", message.TextBody, StringComparison.Ordinal);
        Assert.Contains("Sign in to the admin area of the site to see them.", message.TextBody, StringComparison.Ordinal);
        Assert.DoesNotContain("<a ", message.HtmlBody, StringComparison.Ordinal);
        Assert.DoesNotContain("http", message.TextBody, StringComparison.Ordinal);
    }

    [Fact]
    public void The_digest_of_inquiries_with_distinctive_names_and_answers_holds_none_of_them()
    {
        // Three waiting inquiries: one urgent, one received long ago; what each person typed is a marker.
        Inquiry[] waiting =
        [
            ValidInquiry.Entity(i => { i.FullName = "Quillon Marrowby"; i.Email = "quillon@marker.test"; i.Message = "Zephyrine heartache"; }, id: 41),
            ValidInquiry.Entity(i => { i.FullName = "Ottoline Brackwater"; i.SelfHarmThoughts = YesNo.Yes; i.ConcernOther = "Vantablack grief"; i.Concerns = [Concern.Other]; }, id: 42),
            ValidInquiry.Entity(i => { i.FullName = "Perpetua Ashgrove"; i.Phone = "555-0199"; i.MedicationOther = "Glimmerzine"; i.Medications = [Medication.Other]; }, id: 43),
        ];
        var message = FollowUpEmails.Digest(new WaitingCounts(waiting.Length, 1, waiting.Count(i => i.Outcome == ScreeningOutcome.Urgent)), 2, Row(OutboxKind.PractitionerDigest), Email, Practice, Clock, Now);

        Assert.Contains("- Urgent (still New): 1", message.TextBody, StringComparison.Ordinal);
        foreach (var part in new[] { message.Subject, message.TextBody, message.HtmlBody })
        {
            foreach (var typed in new[] { "Quillon", "Marrowby", "marker.test", "Zephyrine", "Ottoline", "Brackwater", "Vantablack", "Perpetua", "Ashgrove", "555-0199", "Glimmerzine", "#41", "#42", "#43", "self-harm", "harming" })
            {
                Assert.DoesNotContain(typed, part, StringComparison.OrdinalIgnoreCase);
            }
        }
    }

    [Fact]
    public void The_urgent_reminder_names_the_inquiry_by_number_with_its_local_arrival_and_a_link()
    {
        var received = new DateTime(2026, 7, 1, 13, 5, 0, DateTimeKind.Utc); // 09:05 EDT
        var message = FollowUpEmails.UrgentReminder([(42, received)], TimeSpan.FromHours(1), Row(OutboxKind.UrgentReminder), Email, Practice, Clock, Now);

        Assert.Equal("URGENT: inquiry #42 has not been opened", message.Subject);
        Assert.Equal(
            "Urgent inquiry #42 arrived on 2026-07-01 09:05 Eastern and has not been opened in the admin area for more than 1 hour.\n\nThis is the only reminder for it.\n\nOpen it: https://kap.test/admin/inquiries/42\n",
            message.TextBody!.ReplaceLineEndings("\n"));
        Assert.Contains("<a href=\"https://kap.test/admin/inquiries/42\">", message.HtmlBody, StringComparison.Ordinal);
    }

    [Fact]
    public void One_reminder_about_two_urgent_inquiries_names_each_with_its_arrival_and_link()
    {
        var first = new DateTime(2026, 7, 1, 13, 5, 0, DateTimeKind.Utc);
        var message = FollowUpEmails.UrgentReminder([(42, first), (43, first.AddMinutes(20))], TimeSpan.FromHours(1), Row(OutboxKind.UrgentReminder), Email, Practice, Clock, Now);

        Assert.Equal("URGENT: 2 inquiries have not been opened", message.Subject);
        Assert.Equal(
            "Urgent inquiry #42 arrived on 2026-07-01 09:05 Eastern and has not been opened in the admin area for more than 1 hour.\n\n" +
            "Urgent inquiry #43 arrived on 2026-07-01 09:25 Eastern and has not been opened in the admin area for more than 1 hour.\n\n" +
            "This is the only reminder for them.\n\n" +
            "Open inquiry #42: https://kap.test/admin/inquiries/42\n\nOpen inquiry #43: https://kap.test/admin/inquiries/43\n",
            message.TextBody!.ReplaceLineEndings("\n"));
        Assert.Contains("<a href=\"https://kap.test/admin/inquiries/43\">", message.HtmlBody, StringComparison.Ordinal);
    }
}
