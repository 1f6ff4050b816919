using KapPractice.Web.Domain;
using KapPractice.Web.Features.Replies;
using KapPractice.Web.Infrastructure;
using KapPractice.Web.Infrastructure.Email;
using MimeKit;

namespace KapPractice.UnitTests.Features.Replies;

public sealed class ReplyEmailTests
{
    private static readonly DateTimeOffset Now = new(2026, 3, 2, 9, 30, 0, TimeSpan.Zero);
    private static readonly PracticeOptions Practice = new() { Name = "Leslie Portillo, LCAT", ContactEmail = "practice@kap.test", SiteUrl = "https://kap.test/" };
    private static readonly EmailOptions Email = new() { From = "no-reply@kap.test" };

    private static MimeMessage Compose(string subject = "Next steps", string body = "Dear Maya,\n\nThank you.")
    {
        var reply = new InquiryReply { Id = 3, InquiryId = 7, Author = "leslie@kap.test", Subject = subject, Body = body, SentUtc = Now.UtcDateTime };
        var row = new OutboxMessage { Id = 11, Kind = OutboxKind.ClientReply, Recipient = "maya@example.com", MessageId = "reply-11@kap.test", ReplyId = 3, InquiryId = 7 };
        return ReplyEmail.Compose(reply, row, Email, Practice, Now);
    }

    [Fact]
    public void It_goes_to_the_client_from_the_site_with_replies_to_the_practice_and_its_own_message_id()
    {
        var message = Compose();

        Assert.Equal("maya@example.com", message.To.Mailboxes.Single().Address);
        Assert.Equal("no-reply@kap.test", message.From.Mailboxes.Single().Address);
        Assert.Equal(("Leslie Portillo, LCAT", "practice@kap.test"), (message.ReplyTo.Mailboxes.Single().Name, message.ReplyTo.Mailboxes.Single().Address));
        Assert.Equal("reply-11@kap.test", message.MessageId);
        Assert.Equal("Next steps", message.Subject);
        Assert.Null(message.HtmlBody);
        Assert.Null(message.Headers[HeaderId.AutoSubmitted]);
    }

    [Fact]
    public void The_text_is_hers_then_the_signature_then_the_crisis_line()
    {
        var text = Compose().TextBody!.ReplaceLineEndings("\n");

        Assert.Equal(
            "Dear Maya,\n\nThank you.\n\n-- \nLeslie Portillo, LCAT\npractice@kap.test\nhttps://kap.test/\n\n" + MailParts.CrisisLine + "\n",
            text);
    }

    [Fact]
    public void Without_a_site_address_the_signature_has_none()
    {
        var text = ReplyEmail.Text("Hi", new PracticeOptions { Name = "P", ContactEmail = "p@kap.test" });

        Assert.Equal("Hi\n\n-- \nP\np@kap.test\n\n" + MailParts.CrisisLine + "\n", text);
    }

    [Fact]
    public void A_subject_with_line_breaks_or_control_characters_becomes_one_safe_line_of_limited_length()
    {
        var message = Compose(subject: "Hello\r\nBcc: victim@example.com\tthere\u0007" + new string('x', 400));

        Assert.StartsWith("Hello Bcc: victim@example.com there", message.Subject, StringComparison.Ordinal);
        Assert.Equal(TextLimits.ReplySubject, message.Subject!.Length);
        Assert.Empty(message.Bcc);
        Assert.DoesNotContain(message.Headers, h => h.Id == HeaderId.Bcc);
    }

    [Fact]
    public void Every_part_is_seven_bit_with_short_lines_so_strict_servers_take_it()
    {
        var message = Compose(body: "Café — naïve " + new string('é', 2000));

        var part = Assert.IsType<TextPart>(message.Body);
        Assert.NotEqual(ContentEncoding.Default, part.ContentTransferEncoding);
        Assert.NotEqual(ContentEncoding.EightBit, part.ContentTransferEncoding);
        Assert.Contains("Café — naïve", part.Text, StringComparison.Ordinal);
    }
}
