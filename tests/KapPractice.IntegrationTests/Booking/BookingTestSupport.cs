using KapPractice.Web.Features.Inquiries;
using KapPractice.Web.Infrastructure;
using System.Net;
using AngleSharp.Dom;
using AngleSharp.Html.Dom;
using Ical.Net;
using KapPractice.Web.Features.Booking;
using Microsoft.Extensions.DependencyInjection;
using MimeKit;

namespace KapPractice.IntegrationTests.Booking;

/// <summary>A booking link for an inquiry sent through the form, and the booking page as a client uses it.</summary>
public static class BookingTestSupport
{
    public static readonly TimeZoneInfo NewYork = TimeZoneInfo.FindSystemTimeZoneById("America/New_York");

    /// <summary>
    /// The next Monday 12:00 UTC after the real clock. Data Protection checks a link's expiry against the real
    /// clock, so the fake clock starts ahead of it rather than at a fixed past date.
    /// </summary>
    public static DateTimeOffset NextMonday()
    {
        var day = DateTime.UtcNow.Date.AddDays(1);
        while (day.DayOfWeek != DayOfWeek.Monday)
        {
            day = day.AddDays(1);
        }

        return new DateTimeOffset(day.AddHours(12), TimeSpan.Zero);
    }

    /// <summary>Noon UTC three days before New York's next clock change after the real clock.</summary>
    public static DateTimeOffset BeforeNextClockChange()
    {
        var day = DateTime.UtcNow.Date.AddDays(4);
        while (NewYork.GetUtcOffset(day) == NewYork.GetUtcOffset(day.AddDays(1)))
        {
            day = day.AddDays(1);
        }

        return new DateTimeOffset(day.AddDays(-3).AddHours(12), TimeSpan.Zero);
    }

    public static Task<MailHarness> StartAsync(DateTimeOffset now, Action<KapPracticeFactory>? configure = null, DatabaseProvider provider = DatabaseProvider.Sqlite) =>
        MailHarness.StartAsync(configure, startTime: now, provider: provider);

    /// <summary>An inquiry stored through the form, and the path of a fresh booking link for it (made as a reply's {BookingLink} is).</summary>
    public static async Task<(int InquiryId, string Path)> InquiryWithLinkAsync(this MailHarness mail, Action<InquiryForm>? change = null)
    {
        ArgumentNullException.ThrowIfNull(mail);
        var inquiry = await mail.Factory.SubmitAsync(change is null ? ValidInquiry.Form() : ValidInquiry.With(change));
        return (inquiry.Id, await mail.NewLinkAsync(inquiry.Id));
    }

    public static async Task<string> NewLinkAsync(this MailHarness mail, int inquiryId)
    {
        ArgumentNullException.ThrowIfNull(mail);
        await using var scope = mail.Factory.Services.CreateAsyncScope();
        var link = await scope.ServiceProvider.GetRequiredService<IBookingLinks>().CreateAsync(inquiryId, CancellationToken.None);
        Assert.Equal("kap.test", link.Host);
        return link.AbsolutePath;
    }

    /// <summary>A new link for the inquiry, as "Send booking link" makes one: it supersedes the ones before it.</summary>
    public static async Task<string> SupersedingLinkAsync(this MailHarness mail, int inquiryId)
    {
        ArgumentNullException.ThrowIfNull(mail);
        await using var scope = mail.Factory.Services.CreateAsyncScope();
        var links = scope.ServiceProvider.GetRequiredService<BookingLinks>();
        var link = await links.NewLinkAsync(inquiryId, CancellationToken.None);
        await scope.ServiceProvider.GetRequiredService<KapPractice.Web.Infrastructure.Data.KapDbContext>().SaveChangesAsync();
        return links.UrlFor(link).AbsolutePath;
    }

    /// <summary>The times offered on the page, as posted (UTC), in order.</summary>
    /// <summary>A client with a new inquiry and its link books the first time offered; the client, the link's path and the times offered then.</summary>
    public static async Task<(HttpClient Client, string Path, List<DateTime> Offered)> BookFirstOfferedAsync(this MailHarness mail)
    {
        ArgumentNullException.ThrowIfNull(mail);
        var (_, path) = await mail.InquiryWithLinkAsync();
        var client = mail.Factory.CreateHttpsClient();
        var offered = OfferedTimes(await client.GetDocumentAsync(path));
        using (var booked = await client.ChooseAsync(path, offered[0]))
        {
            Assert.Equal(System.Net.HttpStatusCode.Redirect, booked.StatusCode);
        }

        return (client, path, offered);
    }

    public static List<DateTime> OfferedTimes(IDocument page) =>
        [.. page.QuerySelectorAll("button[name=start]").Select(b => BookingPageModel.ParseSlot(b.GetAttribute("value"))!.Value)];

    /// <summary>Opens the page and presses the button of <paramref name="start"/> (the first offered when null).</summary>
    public static async Task<HttpResponseMessage> ChooseAsync(this HttpClient client, string path, DateTime? start = null, string mode = "Phone")
    {
        ArgumentNullException.ThrowIfNull(client);
        var page = await client.GetDocumentAsync(path);
        return await client.PostChoiceAsync(page, path, start ?? OfferedTimes(page)[0], mode);
    }

    /// <summary>Presses a time's button on a page already open (its form and antiforgery token).</summary>
    public static async Task<HttpResponseMessage> PostChoiceAsync(this HttpClient client, IDocument page, string path, DateTime start, string mode = "Phone", string? postTo = null)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(page);
        var form = page.QuerySelector<IHtmlFormElement>($"form[action='{path}']") ?? throw new InvalidOperationException("No booking form on the page.");
        using var content = new FormUrlEncodedContent(Html.FieldsOf(form, [new("start", start.ToString(BookingPageModel.SlotFormat, System.Globalization.CultureInfo.InvariantCulture)), new("mode", mode)]));
        return await client.PostAsync(new Uri(postTo ?? path, UriKind.Relative), content);
    }

    public static async Task<HttpResponseMessage> CancelAsync(this HttpClient client, string path)
    {
        ArgumentNullException.ThrowIfNull(client);
        var page = await client.GetDocumentAsync(path);
        var form = page.QuerySelector<IHtmlFormElement>($"form[action='{path}/cancel']") ?? throw new InvalidOperationException("No cancel form on the page.");
        using var content = new FormUrlEncodedContent(Html.FieldsOf(form, []));
        return await client.PostAsync(new Uri(path + "/cancel", UriKind.Relative), content);
    }

    /// <summary>The iCalendar part of a message, parsed back, with its METHOD parameter; null when it has none.</summary>
    public static (Calendar Calendar, string Method)? CalendarOf(MimeMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        var part = message.BodyParts.OfType<TextPart>().FirstOrDefault(p => p.ContentType.IsMimeType("text", "calendar"));
        return part is null ? null : (Calendar.Load(part.Text)!, part.ContentType.Parameters["method"] ?? "");
    }

    public static IReadOnlyList<ReceivedMail> WithCalendar(this MailHarness mail, string address, string method) =>
        [.. mail.To(address).Where(m => CalendarOf(m.Message) is { } c && c.Method == method)];

    public static async Task<IDocument> ExpectAsync(this HttpResponseMessage response, HttpStatusCode status)
    {
        ArgumentNullException.ThrowIfNull(response);
        Assert.Equal(status, response.StatusCode);
        return await Html.ParseAsync(response);
    }
}

/// <summary>The booking tests' mail harness (its clock on <see cref="BookingTestSupport.NextMonday"/>), shared by the tests that leave the clock there.</summary>
public sealed class SharedBookingMail() : SharedMailHarness(f => f.WithSetting("Booking:RequestLimit", "100000"), DatabaseProvider.Sqlite, BookingTestSupport.NextMonday());

[CollectionDefinition(Name)]
public sealed class SharedBookingMailApp : ICollectionFixture<SharedBookingMail>
{
    public const string Name = "Booking mail harness on SQLite";
}
