using KapPractice.Web.Infrastructure.Audit;
using System.Net;
using AngleSharp.Dom;
using AngleSharp.Html.Dom;
using KapPractice.Web.Domain;
using KapPractice.Web.Features.Booking;
using Microsoft.EntityFrameworkCore;

namespace KapPractice.IntegrationTests.Booking;

/// <summary>What a client's change or cancel must carry (the version it saw), and how many changes one link may make.</summary>
[Collection(SharedBookingMailApp.Name)]
public sealed class BookingChangeRulesTests(SharedBookingMail shared)
{
    private static Task<Web.Domain.Booking> BookingAsync(MailHarness mail) =>
        mail.Factory.WithDbAsync(db => db.Bookings.AsNoTracking().SingleAsync());

    /// <summary>Posts to the booking page's address with the page's antiforgery token and exactly <paramref name="values"/>: a hand-made form.</summary>
    private static async Task<HttpResponseMessage> PostAsync(HttpClient client, IDocument page, string action, params (string Name, string Value)[] values)
    {
        var token = page.QuerySelector<IHtmlInputElement>("input[name='__RequestVerificationToken']")!.Value;
        using var content = new FormUrlEncodedContent([new("__RequestVerificationToken", token), .. values.Select(v => new KeyValuePair<string, string>(v.Name, v.Value))]);
        return await client.PostAsync(new Uri(action, UriKind.Relative), content);
    }

    private static string Slot(DateTime utc) => utc.ToString(BookingPageModel.SlotFormat, System.Globalization.CultureInfo.InvariantCulture);

    [Fact]
    public async Task A_change_or_cancel_without_a_readable_sequence_is_refused_like_a_stale_one()
    {
        await using var mail = await shared.StartAsync();
        var (client, path, offered) = await mail.BookFirstOfferedAsync();

        var page = await client.GetDocumentAsync(path);
        foreach (var sequence in new[] { null, "", "abc", "1.5" })
        {
            (string, string)[] version = sequence is null ? [] : [("sequence", sequence)];
            using (var change = await PostAsync(client, page, path, [("start", Slot(offered[4])), ("mode", "Phone"), .. version]))
            {
                var shown = await change.ExpectAsync(HttpStatusCode.Conflict);
                Assert.Contains(BookingController.ChangedMessage, shown.Body!.TextContent, StringComparison.Ordinal);
            }

            using (var cancel = await PostAsync(client, page, path + "/cancel", version))
            {
                var shown = await cancel.ExpectAsync(HttpStatusCode.Conflict);
                Assert.Contains(BookingController.ChangedMessage, shown.Body!.TextContent, StringComparison.Ordinal);
            }
        }

        var booking = await BookingAsync(mail);
        Assert.Equal((offered[0], 0, BookingState.Active), (booking.StartUtc, booking.Sequence, booking.State));
        Assert.DoesNotContain(await mail.Factory.WithDbAsync(db => db.AuditEntries.AsNoTracking().ToListAsync()),
            a => a.Action is AuditActions.ConsultationRescheduled or AuditActions.ConsultationCancelled);

        // Pressing the time already booked again without a version (a double click on the first page) changes nothing and is no error.
        using (var again = await PostAsync(client, page, path, ("start", Slot(offered[0])), ("mode", "Phone")))
        {
            Assert.Equal(HttpStatusCode.Redirect, again.StatusCode);
        }

        Assert.Equal(0, (await BookingAsync(mail)).Sequence);
    }

    [Fact]
    public async Task A_link_changes_the_time_at_most_the_set_number_of_times_then_says_to_write_and_still_cancels()
    {
        await using var mail = await BookingTestSupport.StartAsync(BookingTestSupport.NextMonday(), f => f.WithSetting("Booking:ChangesPerLink", "2"));
        var (client, path, offered) = await mail.BookFirstOfferedAsync();

        foreach (var time in new[] { offered[1], offered[2] })
        {
            var changePage = await client.GetDocumentAsync(path + "?change=true");
            using var moved = await client.PostChoiceAsync(changePage, path, time);
            Assert.Equal(HttpStatusCode.Redirect, moved.StatusCode);
        }

        // The limit is reached: the page says plainly what to do instead, offers no change, and keeps Cancel.
        var expected = BookingController.ChangeLimitMessage(2);
        foreach (var address in new[] { path, path + "?change=true" })
        {
            var page = await client.GetDocumentAsync(address);
            Assert.Contains(expected, page.QuerySelector(".booking-change-limit")!.TextContent, StringComparison.Ordinal);
            Assert.Null(page.QuerySelector($"a[href*='change=true']"));
            Assert.Empty(page.QuerySelectorAll("button[name=start]"));
            Assert.NotNull(page.QuerySelector($"form[action='{path}/cancel']"));
        }

        var shown = await client.GetDocumentAsync(path);
        var sequence = shown.QuerySelector<IHtmlInputElement>("input[name=sequence]")!.Value;
        using (var refused = await PostAsync(client, shown, path, ("start", Slot(offered[5])), ("mode", "Phone"), ("sequence", sequence)))
        {
            var page = await refused.ExpectAsync(HttpStatusCode.Conflict);
            Assert.Contains(expected, page.QuerySelector(".booking-change-limit")!.TextContent, StringComparison.Ordinal);
        }

        var booking = await BookingAsync(mail);
        Assert.Equal((offered[2], 2, BookingState.Active), (booking.StartUtc, booking.Sequence, booking.State));
        Assert.Equal(2, await mail.Factory.WithDbAsync(db => db.AuditEntries.CountAsync(a => a.Action == AuditActions.ConsultationRescheduled)));

        using (var cancelled = await client.CancelAsync(path))
        {
            var page = await cancelled.ExpectAsync(HttpStatusCode.OK);
            Assert.Equal("Your consultation is cancelled", page.QuerySelector("h1")!.TextContent.Trim());
        }

        Assert.Equal(BookingState.Cancelled, (await BookingAsync(mail)).State);
    }

    [Fact]
    public async Task Her_cancel_from_a_list_showing_an_older_version_or_none_cancels_nothing()
    {
        await using var mail = await shared.StartAsync(); // Admin:SignInPermitLimit is 1000 there too
        var (admin, _) = await mail.Factory.SignedInClientAsync();
        var (client, path, offered) = await mail.BookFirstOfferedAsync();

        // She opens the list; the client then moves the call; she presses Cancel on the list she has open.
        var list = await admin.GetDocumentAsync("/admin/booking");
        var bookingId = (await BookingAsync(mail)).Id;
        using (var moved = await client.PostChoiceAsync(await client.GetDocumentAsync(path + "?change=true"), path, offered[3]))
        {
            Assert.Equal(HttpStatusCode.Redirect, moved.StatusCode);
        }

        var form = list.QuerySelector<IHtmlFormElement>($"form[action='/admin/booking/{bookingId}/cancel']")!;
        var fields = Html.FieldsOf(form, [new("message", "")]);
        foreach (var posted in new[] { fields, [.. fields.Where(f => f.Key != "sequence")] })
        {
            using var content = new FormUrlEncodedContent(posted);
            using var cancel = await admin.PostAsync(new Uri($"/admin/booking/{bookingId}/cancel", UriKind.Relative), content);
            Assert.Equal(HttpStatusCode.Redirect, cancel.StatusCode);
            var page = await admin.GetDocumentAsync("/admin/booking");
            Assert.Contains("was just changed by the client; nothing was cancelled", page.QuerySelector(".flash")!.TextContent, StringComparison.Ordinal);
        }

        var booking = await BookingAsync(mail);
        Assert.Equal((offered[3], 1, BookingState.Active), (booking.StartUtc, booking.Sequence, booking.State));
    }
}
