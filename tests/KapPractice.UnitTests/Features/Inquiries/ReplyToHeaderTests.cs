using KapPractice.Web.Domain;
using System.Text;
using KapPractice.UnitTests.Features.Inquiries;
using KapPractice.Web.Infrastructure;
using KapPractice.Web.Infrastructure.Email;
using KapPractice.Web.Features.Inquiries;
using MimeKit;

namespace KapPractice.UnitTests.Features.Inquiries;

/// <summary>
/// The notification's Reply-To, read back from the bytes a mail client receives (decoded as leniently
/// as mail clients decode): it shows the client's name as stored, or the address alone, never a name
/// the client encoded for the header to show instead.
/// </summary>
public sealed class ReplyToHeaderTests
{
    private static readonly PracticeOptions Practice = new() { ContactEmail = "practice@kap.test", SiteUrl = "https://kap.test/" };
    private static readonly EmailOptions Email = new() { From = "no-reply@kap.test" };

    [Theory]
    [InlineData("=?UTF-8?B?TGVzbGllIFBvcnRpbGxv?=")]
    [InlineData("=?utf-8?q?Leslie_Portillo?=")]
    [InlineData("Ana =?iso-8859-1?Q?Leslie_Portillo?=")]
    [InlineData("\u202Eollitrop eilseL")]
    [InlineData("Leslie\u200B Portillo\u2066")]
    public void A_stored_name_that_would_show_as_something_else_leaves_only_the_address(string storedName)
    {
        var replyTo = ReceivedReplyTo(storedName);

        Assert.Equal("ana@client.test", replyTo.Address);
        Assert.Equal("", replyTo.Name);
    }

    [Theory]
    [InlineData("Ana Example")]
    [InlineData("Nguyễn O'Brien 李")]
    [InlineData("\"Ana\" <Example>, Jr.")]
    public void A_plain_name_arrives_exactly_as_stored(string storedName)
    {
        var replyTo = ReceivedReplyTo(storedName);

        Assert.Equal(("ana@client.test", storedName), (replyTo.Address, replyTo.Name));
    }

    private static MailboxAddress ReceivedReplyTo(string storedName)
    {
        var inquiry = ValidInquiry.Entity(id: 7);
        inquiry.Id = 7;
        inquiry.FullName = storedName;
        inquiry.Email = "ana@client.test";
        var row = new OutboxMessage
        {
            Id = 3, InquiryId = 7, Inquiry = inquiry, Kind = OutboxKind.PractitionerNotification,
            Recipient = Practice.ContactEmail, MessageId = "msg-7@kap.test",
        };
        var message = InquiryEmails.Compose(row, Email, Practice, new PracticeClock(Microsoft.Extensions.Options.Options.Create(new PracticeOptions()), TimeProvider.System), new DateTimeOffset(2026, 3, 2, 9, 30, 0, TimeSpan.Zero));

        using var wire = new MemoryStream();
        message.WriteTo(wire);
        var header = System.Text.RegularExpressions.Regex.Split(Encoding.UTF8.GetString(wire.ToArray()), "\r?\n\r?\n")[0];
        Assert.DoesNotContain("Leslie", header, StringComparison.Ordinal);
        wire.Position = 0;
        var received = MimeMessage.Load(new ParserOptions { Rfc2047ComplianceMode = RfcComplianceMode.Loose }, wire);
        return Assert.Single(received.ReplyTo.Mailboxes);
    }
}
