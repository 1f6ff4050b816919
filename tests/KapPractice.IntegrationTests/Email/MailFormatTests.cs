using KapPractice.Web.Domain;
using System.Text;
using AngleSharp.Html.Parser;
using KapPractice.IntegrationTests.Inquiries;
using MimeKit;

namespace KapPractice.IntegrationTests.Email;

/// <summary>
/// What a strict mail server accepts (RFC 5322 and 2045): no line over 998 octets, and every body part
/// says how it is encoded, for the .eml written to the pickup folder and the message sent over SMTP alike.
/// </summary>
[Collection(SharedMailApp.Name)]
public sealed class MailFormatTests(SharedMail shared)
{
    private const int MaxLineOctets = 998;

    // As long as the form allows, in words of several scripts, without a single line break.
    private static readonly string LongMessage = string.Concat(Enumerable.Repeat("Zoë Ødegård, 李小龍 and I would like to talk. ", 60))[..2000];

    [Fact]
    public async Task A_pickup_eml_keeps_lines_short_and_declares_its_transfer_encoding()
    {
        await using var factory = new KapPracticeFactory()
            .WithSetting("Spam:MinimumFillTime", "00:00:00")
            .WithSetting("Practice:ContactEmail", "practice@kap.test");

        var response = await factory.NewClient().SubmitInquiryAsync(LongAnswers());

        InquiryForms.AssertRedirectedToConfirmation(response);
        await Eventually.TrueAsync(() => Task.FromResult(PickupFiles.Messages(factory).Length == 2),
            what: "two messages in the pickup folder");
        var files = new List<byte[]>();
        foreach (var file in PickupFiles.Messages(factory))
        {
            // The message itself, as the read-mail command opens it (sealed outside Development).
            files.Add(await PickupFiles.ReadAsync(factory, file));
        }

        Assert.All(files, AssertStrictServerWouldAccept);
        AssertTheLongAnswerArrivedWhole(files.Select(Parse).Single(m => m.To.Mailboxes.Any(a => a.Address == "practice@kap.test")));
    }

    [Fact]
    public async Task A_message_sent_over_smtp_keeps_lines_short_and_declares_its_transfer_encoding()
    {
        await using var mail = await shared.StartAsync(); // Spam:MinimumFillTime is 0 on every harness

        var response = await mail.Factory.NewClient().SubmitInquiryAsync(LongAnswers());

        InquiryForms.AssertRedirectedToConfirmation(response);
        var received = await mail.Smtp.WaitForCountAsync(2);
        Assert.All(received, message => AssertStrictServerWouldAccept(message.Raw));
        AssertTheLongAnswerArrivedWhole(Parse(Assert.Single(mail.To(MailHarness.PracticeAddress)).Raw));
    }

    private static List<KeyValuePair<string, string>> LongAnswers() =>
        InquiryForms.Valid("Zoë Ødegård", "zoe@client.test", i =>
        {
            i.Message = LongMessage;
            i.Concerns = [Concern.Other];
            i.ConcernOther = new string('x', 200);
        });

    private static void AssertStrictServerWouldAccept(byte[] raw)
    {
        Assert.NotEmpty(raw);
        var lines = SplitLines(raw);
        Assert.All(lines, line => Assert.True(line <= MaxLineOctets, $"a line of {line} octets (at most {MaxLineOctets})"));

        var message = Parse(raw);
        var parts = message.BodyParts.OfType<MimePart>().ToList();
        Assert.NotEmpty(parts);
        Assert.All(parts, part => Assert.True(
            part.Headers.Contains(HeaderId.ContentTransferEncoding),
            $"the {part.ContentType.MimeType} part has no Content-Transfer-Encoding"));
        // Non-ASCII travels encoded unless the part says it is 8bit.
        foreach (var part in parts.Where(p => p.ContentTransferEncoding is not (ContentEncoding.EightBit or ContentEncoding.Binary)))
        {
            using var encoded = new MemoryStream();
            var content = part.Content!.Stream!;
            content.Position = 0;
            content.CopyTo(encoded);
            Assert.All(encoded.ToArray(), b => Assert.True(b < 0x80, $"raw 8-bit data in a {part.ContentTransferEncoding} {part.ContentType.MimeType} part"));
        }
    }

    private static void AssertTheLongAnswerArrivedWhole(MimeMessage notification)
    {
        Assert.Contains(LongMessage.Trim(), notification.TextBody, StringComparison.Ordinal);
        Assert.Contains(LongMessage.Trim(), new HtmlParser().ParseDocument(notification.HtmlBody ?? "").Body!.TextContent, StringComparison.Ordinal);
    }

    private static MimeMessage Parse(byte[] raw)
    {
        using var stream = new MemoryStream(raw);
        return MimeMessage.Load(stream);
    }

    /// <summary>The length in octets of every line, CRLF or LF not counted.</summary>
    private static List<int> SplitLines(byte[] raw)
    {
        var lengths = new List<int>();
        var start = 0;
        for (var i = 0; i < raw.Length; i++)
        {
            if (raw[i] == (byte)'\n')
            {
                var end = i > start && raw[i - 1] == (byte)'\r' ? i - 1 : i;
                lengths.Add(end - start);
                start = i + 1;
            }
        }

        lengths.Add(raw.Length - start);
        return lengths;
    }

    [Fact]
    public void The_long_message_is_longer_than_one_line_may_be()
    {
        // Guards the tests above: the answer alone is more than a line's worth of octets.
        Assert.True(Encoding.UTF8.GetByteCount(LongMessage) > MaxLineOctets);
    }
}
