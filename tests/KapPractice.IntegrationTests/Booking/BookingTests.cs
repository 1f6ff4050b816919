using KapPractice.Web.Infrastructure;
using System.Net;
using KapPractice.Web.Domain;
using KapPractice.Web.Features.Booking;
using Microsoft.EntityFrameworkCore;

namespace KapPractice.IntegrationTests.Booking;

[Collection(SharedBookingMailApp.Name)]
public sealed class BookingTests(SharedBookingMail shared)
{
    private static async Task<List<Web.Domain.Booking>> BookingsAsync(MailHarness mail) =>
        await mail.Factory.WithDbAsync(db => db.Bookings.AsNoTracking().OrderBy(b => b.Id).ToListAsync());

    [Fact]
    public async Task Slots_keep_ten_in_the_morning_in_New_York_across_a_clock_change()
    {
        var now = BookingTestSupport.BeforeNextClockChange();
        await using var mail = await BookingTestSupport.StartAsync(now, f => f.WithSetting("Booking:DefaultHours", "Mon-Sun 10:00-10:15"));
        var (_, path) = await mail.InquiryWithLinkAsync();
        var client = mail.Factory.CreateHttpsClient();

        var page = await client.GetDocumentAsync(path);
        var offered = BookingTestSupport.OfferedTimes(page);

        // One slot a day, each at 10:00 in New York, so its UTC hour moves by one at the change.
        Assert.All(offered, t => Assert.Equal(new TimeOnly(10, 0), TimeOnly.FromDateTime(TimeZoneInfo.ConvertTimeFromUtc(t, BookingTestSupport.NewYork))));
        Assert.Equal(offered.Count, offered.Select(t => t.Date).Distinct().Count());
        Assert.Equal(2, offered.Select(t => t.Hour).Distinct().Count());
        Assert.All(page.QuerySelectorAll("button[name=start]"), b => Assert.Equal("10:00 AM Eastern", b.TextContent.Trim()));
        Assert.Contains(page.QuerySelectorAll("button[name=start]"), b => b.GetAttribute("aria-label")!.EndsWith("10:00 AM Eastern", StringComparison.Ordinal));
        // 24 hours' notice and 21 days ahead, by default.
        Assert.True(offered[0] >= now.UtcDateTime.AddHours(24));
        Assert.True(offered[^1] < now.UtcDateTime.AddDays(21));
        Assert.True(offered.Count >= 19);
    }

    [Fact]
    public async Task The_page_is_private_and_books_a_time_which_is_then_offered_to_no_one_else()
    {
        await using var mail = await shared.StartAsync();
        var (first, path) = await mail.InquiryWithLinkAsync();
        var (_, otherPath) = await mail.InquiryWithLinkAsync(i => i.Email = "other@example.com");
        var client = mail.Factory.CreateHttpsClient();

        using (var get = await client.GetAsync(new Uri(path, UriKind.Relative)))
        {
            Assert.Equal(HttpStatusCode.OK, get.StatusCode);
            Assert.True(get.Headers.CacheControl!.NoStore);
            Assert.Contains("noindex", string.Join(",", get.Headers.GetValues("X-Robots-Tag")), StringComparison.Ordinal);
            var page = await Html.ParseAsync(get);
            Assert.Contains("noindex", page.QuerySelector("meta[name=robots]")!.GetAttribute("content"), StringComparison.Ordinal);
            Assert.NotNull(page.QuerySelector(".crisis-notice, footer"));
        }

        var chosen = BookingTestSupport.OfferedTimes(await client.GetDocumentAsync(path))[3];
        using var booked = await client.ChooseAsync(path, chosen);
        Assert.Equal(HttpStatusCode.Redirect, booked.StatusCode);

        var confirmation = await client.GetDocumentAsync(path);
        Assert.Equal("Your consultation is booked", confirmation.QuerySelector("h1")!.TextContent.Trim());
        Assert.Contains(TimeZoneInfo.ConvertTimeFromUtc(chosen, BookingTestSupport.NewYork).ToString("h:mm tt", System.Globalization.CultureInfo.GetCultureInfo("en-US")), confirmation.QuerySelector(".booking-when")!.TextContent, StringComparison.Ordinal);
        var booking = Assert.Single(await BookingsAsync(mail));
        Assert.Equal((first, chosen, BookingState.Active), (booking.InquiryId, booking.StartUtc, booking.State));
        Assert.Equal(InquiryStatus.ConsultationBooked, await mail.Factory.WithDbAsync(db => db.Inquiries.Where(i => i.Id == first).Select(i => i.Status).SingleAsync()));
        Assert.True(await mail.Factory.WithDbAsync(db => db.AuditEntries.AnyAsync(a => a.InquiryId == first && a.Action == Web.Infrastructure.Audit.AuditActions.ConsultationBooked)));

        var other = BookingTestSupport.OfferedTimes(await mail.Factory.CreateHttpsClient().GetDocumentAsync(otherPath));
        Assert.DoesNotContain(chosen, other);
    }

    [Fact]
    public Task Twenty_clients_choosing_one_time_at_once_get_one_booking_and_no_server_error() =>
        TwentyClientsChooseOneTimeAsync(DatabaseProvider.Sqlite);

    /// <summary>Also run on PostgreSQL (Instances/OnceAcrossInstancesTests).</summary>
    internal static async Task TwentyClientsChooseOneTimeAsync(DatabaseProvider provider)
    {
        await using var mail = await BookingTestSupport.StartAsync(BookingTestSupport.NextMonday(), provider: provider);
        var clients = new List<(HttpClient Client, AngleSharp.Dom.IDocument Page, string Path)>();
        for (var i = 0; i < 20; i++)
        {
            var (_, path) = await mail.InquiryWithLinkAsync(form => form.Email = $"client{i}@example.com");
            var client = mail.Factory.CreateHttpsClient();
            clients.Add((client, await client.GetDocumentAsync(path), path));
        }

        var slot = BookingTestSupport.OfferedTimes(clients[0].Page)[0];
        var responses = await Task.WhenAll(clients.Select(c => c.Client.PostChoiceAsync(c.Page, c.Path, slot)));

        Assert.All(responses, r => Assert.True((int)r.StatusCode < 500, $"status {(int)r.StatusCode}"));
        Assert.Single(responses, r => r.StatusCode == HttpStatusCode.Redirect);
        var refused = responses.Where(r => r.StatusCode != HttpStatusCode.Redirect).ToList();
        Assert.Equal(19, refused.Count);
        foreach (var response in refused)
        {
            var page = await response.ExpectAsync(HttpStatusCode.Conflict);
            Assert.Equal(BookingController.TakenMessage, page.QuerySelector(".booking-problem")!.TextContent.Trim());
            Assert.DoesNotContain(slot, BookingTestSupport.OfferedTimes(page));
            Assert.NotEmpty(BookingTestSupport.OfferedTimes(page));
            response.Dispose();
        }

        Assert.Equal(slot, Assert.Single(await BookingsAsync(mail)).StartUtc);
    }

    [Fact]
    public async Task Sending_replies_with_a_booking_link_keeps_the_link_the_client_already_has()
    {
        await using var mail = await shared.StartAsync();
        var client = mail.Factory.CreateHttpsClient();
        var (id, sent) = await mail.InquiryWithLinkAsync();

        // What sending a reply with {BookingLink} does, twice, while the client's link has most of its life left.
        var drafted = await mail.NewLinkAsync(id);
        _ = await mail.NewLinkAsync(id);

        foreach (var path in new[] { sent, drafted })
        {
            var page = await client.GetDocumentAsync(path);
            Assert.NotEmpty(BookingTestSupport.OfferedTimes(page));
        }

        using var booked = await client.ChooseAsync(sent);
        Assert.Equal(HttpStatusCode.Redirect, booked.StatusCode);
        Assert.Single(await BookingsAsync(mail));
    }

    [Fact]
    public async Task A_tampered_an_expired_or_a_used_link_books_nothing_and_says_to_reply_instead()
    {
        // Links last an hour here, so the clock need not run through two weeks of the app's timers.
        await using var mail = await BookingTestSupport.StartAsync(BookingTestSupport.NextMonday(), f => f.WithSetting("Booking:LinkLifetime", "01:00:00"));
        var client = mail.Factory.CreateHttpsClient();
        var (_, path) = await mail.InquiryWithLinkAsync();
        var page = await client.GetDocumentAsync(path);
        var slot = BookingTestSupport.OfferedTimes(page)[0];

        // Tampered: one character of the signed token changed.
        var last = path[^5];
        var tampered = path[..^5] + (last == 'A' ? 'B' : 'A') + path[^4..];
        using (var response = await client.PostChoiceAsync(page, path, slot).ContinueWith(_ => client.GetAsync(new Uri(tampered, UriKind.Relative))).Unwrap())
        {
            var shown = await response.ExpectAsync(HttpStatusCode.NotFound);
            Assert.Contains("reply to the email", shown.Body!.TextContent, StringComparison.Ordinal);
        }

        // That first post booked (a real booking): cancel it, so the link is used up.
        using (var cancelled = await client.CancelAsync(path))
        {
            Assert.Equal(HttpStatusCode.OK, cancelled.StatusCode);
        }

        using (var used = await client.PostChoiceAsync(page, path, BookingTestSupport.OfferedTimes(page)[1]))
        {
            var shown = await used.ExpectAsync(HttpStatusCode.Gone);
            Assert.Contains("reply to the email", shown.Body!.TextContent, StringComparison.Ordinal);
        }

        // Superseded: an older link of an inquiry stops when a newer one is sent.
        var (id, oldPath) = await mail.InquiryWithLinkAsync(i => i.Email = "second@example.com");
        var oldPage = await client.GetDocumentAsync(oldPath);
        _ = await mail.SupersedingLinkAsync(id);
        using (var superseded = await client.PostChoiceAsync(oldPage, oldPath, BookingTestSupport.OfferedTimes(oldPage)[2]))
        {
            await superseded.ExpectAsync(HttpStatusCode.Gone);
        }

        // Expired: past Booking:LinkLifetime by the app's clock.
        var (_, expiring) = await mail.InquiryWithLinkAsync(i => i.Email = "third@example.com");
        var expiringPage = await client.GetDocumentAsync(expiring);
        mail.Time.Advance(TimeSpan.FromMinutes(61));
        using (var expired = await client.PostChoiceAsync(expiringPage, expiring, BookingTestSupport.OfferedTimes(expiringPage)[^1]))
        {
            var shown = await expired.ExpectAsync(HttpStatusCode.Gone);
            Assert.Contains("expired", shown.Body!.TextContent, StringComparison.Ordinal);
        }

        var bookings = await BookingsAsync(mail);
        Assert.Equal(BookingState.Cancelled, Assert.Single(bookings).State);
        using var tamperedPost = await client.PostChoiceAsync(page, path, slot, postTo: tampered);
        Assert.Equal(HttpStatusCode.NotFound, tamperedPost.StatusCode);
        Assert.Single(await BookingsAsync(mail));
    }

    [Fact]
    public async Task Booking_sends_both_an_invitation_that_parses_back_with_the_instant_uid_and_sequence_and_no_name_to_the_practice()
    {
        await using var mail = await BookingTestSupport.StartAsync(BookingTestSupport.NextMonday(), f => f.WithSetting("Booking:MeetingUrl", "https://meet.example.org/leslie"));
        var (id, path) = await mail.InquiryWithLinkAsync();
        var client = mail.Factory.CreateHttpsClient();
        var slot = BookingTestSupport.OfferedTimes(await client.GetDocumentAsync(path))[2];

        using var _ = await client.ChooseAsync(path, slot, mode: "Video");
        await mail.Smtp.WaitForAsync(_ => mail.WithCalendar("alex@example.com", "REQUEST").Count == 1 && mail.WithCalendar(MailHarness.PracticeAddress, "REQUEST").Count == 1);
        var booking = Assert.Single(await BookingsAsync(mail));

        var toClient = mail.WithCalendar("alex@example.com", "REQUEST")[0];
        var (calendar, method) = BookingTestSupport.CalendarOf(toClient.Message)!.Value;
        Assert.Equal("REQUEST", method);
        Assert.Equal("REQUEST", calendar.Method);
        var evt = Assert.Single(calendar.Events);
        Assert.Equal(slot, evt.DtStart!.AsUtc);
        // In UTC, which every calendar shows in its own zone (a TZID local time is ambiguous in the hour repeated in autumn).
        Assert.True(evt.DtStart.IsUtc && evt.DtEnd!.IsUtc, $"DTSTART {evt.DtStart}, DTEND {evt.DtEnd}");
        Assert.Equal(slot.AddMinutes(15), evt.DtEnd!.AsUtc);
        Assert.Equal(booking.Uid, evt.Uid);
        Assert.Equal(0, evt.Sequence);
        Assert.Contains("https://meet.example.org/leslie", toClient.TextBody, StringComparison.Ordinal);
        Assert.Contains("mailto:" + MailHarness.PracticeAddress, evt.Organizer!.Value!.ToString(), StringComparison.OrdinalIgnoreCase);
        Assert.Equal(MailHarness.PracticeAddress, Assert.Single(toClient.Message.ReplyTo.Mailboxes).Address);
        Assert.Contains("988", toClient.TextBody, StringComparison.Ordinal);
        Assert.DoesNotContain("Alex", toClient.Message.Subject, StringComparison.Ordinal);
        Assert.DoesNotContain("depress", System.Text.Encoding.UTF8.GetString(toClient.Raw), StringComparison.OrdinalIgnoreCase);

        var toPractice = mail.WithCalendar(MailHarness.PracticeAddress, "REQUEST")[0];
        var practiceEvent = Assert.Single(BookingTestSupport.CalendarOf(toPractice.Message)!.Value.Calendar.Events);
        Assert.Equal($"Consultation #{id}", practiceEvent.Summary);
        Assert.Equal(booking.Uid, practiceEvent.Uid);
        var raw = System.Text.Encoding.UTF8.GetString(toPractice.Raw);
        Assert.DoesNotContain("Alex", raw, StringComparison.Ordinal);
        Assert.DoesNotContain("Rivera", raw, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Rescheduling_keeps_the_uid_raises_the_sequence_and_frees_the_old_time_and_cancelling_sends_cancel()
    {
        await using var mail = await shared.StartAsync();
        var (client, path, offered) = await mail.BookFirstOfferedAsync();

        // The first invitations go out before the move (an invitation still unsent at a change is dropped as out of date).
        await mail.Smtp.WaitForAsync(_ => mail.WithCalendar("alex@example.com", "REQUEST").Count == 1 && mail.WithCalendar(MailHarness.PracticeAddress, "REQUEST").Count == 1);
        var changePage = await client.GetDocumentAsync(path + "?change=true");
        Assert.DoesNotContain(offered[0], BookingTestSupport.OfferedTimes(changePage).Skip(1));
        using (var moved = await client.PostChoiceAsync(changePage, path, offered[5]))
        {
            Assert.Equal(HttpStatusCode.Redirect, moved.StatusCode);
        }

        var booking = Assert.Single(await BookingsAsync(mail));
        Assert.Equal((offered[5], 1), (booking.StartUtc, booking.Sequence));
        await mail.Smtp.WaitForAsync(_ => mail.WithCalendar("alex@example.com", "REQUEST").Count == 2 && mail.WithCalendar(MailHarness.PracticeAddress, "REQUEST").Count == 2);
        var events = mail.WithCalendar("alex@example.com", "REQUEST").Select(m => Assert.Single(BookingTestSupport.CalendarOf(m.Message)!.Value.Calendar.Events)).OrderBy(e => e.Sequence).ToList();
        Assert.Equal(events[0].Uid, events[1].Uid);
        Assert.Equal([0, 1], events.Select(e => e.Sequence));
        Assert.Equal(offered[5], events[1].DtStart!.AsUtc);

        // The old time is free again for someone else.
        var (_, otherPath) = await mail.InquiryWithLinkAsync(i => i.Email = "other@example.com");
        Assert.Contains(offered[0], BookingTestSupport.OfferedTimes(await mail.Factory.CreateHttpsClient().GetDocumentAsync(otherPath)));

        using (var cancelled = await client.CancelAsync(path))
        {
            var page = await cancelled.ExpectAsync(HttpStatusCode.OK);
            Assert.Equal("Your consultation is cancelled", page.QuerySelector("h1")!.TextContent.Trim());
        }

        await mail.Smtp.WaitForAsync(_ => mail.WithCalendar("alex@example.com", "CANCEL").Count == 1 && mail.WithCalendar(MailHarness.PracticeAddress, "CANCEL").Count == 1);
        var cancel = Assert.Single(BookingTestSupport.CalendarOf(mail.WithCalendar("alex@example.com", "CANCEL")[0].Message)!.Value.Calendar.Events);
        Assert.Equal((events[0].Uid, 2, "CANCELLED"), (cancel.Uid, cancel.Sequence, cancel.Status));
        Assert.Equal(BookingState.Cancelled, Assert.Single(await BookingsAsync(mail)).State);
        Assert.Contains(offered[5], BookingTestSupport.OfferedTimes(await mail.Factory.CreateHttpsClient().GetDocumentAsync(otherPath)));
    }

    [Fact]
    public async Task The_reminder_goes_to_the_client_once_a_day_ahead()
    {
        var now = BookingTestSupport.NextMonday();
        await using var mail = await BookingTestSupport.StartAsync(now);
        var (_, path) = await mail.InquiryWithLinkAsync();
        var client = mail.Factory.CreateHttpsClient();
        var slot = BookingTestSupport.OfferedTimes(await client.GetDocumentAsync(path)).First(t => t > now.UtcDateTime.AddDays(3));
        using (var _ = await client.ChooseAsync(path, slot))
        {
        }

        static bool IsReminder(ReceivedMail m) => m.Message.Subject?.StartsWith("Reminder:", StringComparison.Ordinal) == true;

        // Not yet: a minute at a time until a day and a bit before the call, then past it.
        mail.Time.SetUtcNow(new DateTimeOffset(slot.AddDays(-1).AddMinutes(-5), TimeSpan.Zero));
        for (var i = 0; i < 3; i++)
        {
            mail.Time.Advance(TimeSpan.FromMinutes(1));
            await Task.Delay(50);
        }

        Assert.DoesNotContain(mail.To("alex@example.com"), IsReminder);
        for (var i = 0; i < 4; i++)
        {
            mail.Time.Advance(TimeSpan.FromMinutes(1));
            await Task.Delay(50);
        }

        await mail.Smtp.WaitForAsync(_ => mail.To("alex@example.com").Count(IsReminder) == 1);
        for (var i = 0; i < 5; i++)
        {
            mail.Time.Advance(TimeSpan.FromMinutes(30));
            await Task.Delay(50);
        }

        Assert.Equal(1, await mail.Factory.WithDbAsync(db => db.OutboxMessages.CountAsync(m => m.Kind == OutboxKind.BookingReminderToClient)));
        var reminder = Assert.Single(mail.To("alex@example.com"), IsReminder);
        Assert.Contains(TimeZoneInfo.ConvertTimeFromUtc(slot, BookingTestSupport.NewYork).ToString("h:mm tt", System.Globalization.CultureInfo.GetCultureInfo("en-US")), reminder.TextBody, StringComparison.Ordinal);
        Assert.Contains("988", reminder.TextBody, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_client_that_keeps_asking_for_booking_pages_gets_429_and_books_nothing_while_another_address_still_books()
    {
        await using var mail = await BookingTestSupport.StartAsync(BookingTestSupport.NextMonday(), f => f.WithSetting("Booking:RequestLimit", "3").WithClientAddresses());
        var (_, path) = await mail.InquiryWithLinkAsync();
        var client = mail.Factory.CreateHttpsClient().From("203.0.113.10");
        var page = await client.GetDocumentAsync(path);
        var slot = BookingTestSupport.OfferedTimes(page)[0];
        using (var guessed = await client.GetAsync(new Uri("/booking/not-a-link", UriKind.Relative)))
        {
            Assert.Equal(HttpStatusCode.NotFound, guessed.StatusCode); // the "reply to the email instead" page
        }

        using (var feed = await client.GetAsync(new Uri("/booking/feed/not-the-secret.ics", UriKind.Relative)))
        {
            Assert.Equal(HttpStatusCode.NotFound, feed.StatusCode);
        }

        using (var refused = await client.PostChoiceAsync(page, path, slot))
        {
            Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
            // The window is ten minutes: try again within it.
            Assert.InRange(int.Parse(refused.Headers.GetValues("Retry-After").Single(), System.Globalization.CultureInfo.InvariantCulture), 1, 600);
        }

        Assert.Empty(await BookingsAsync(mail));

        // The same link from another address (the client on her phone's network) is not held back.
        var other = mail.Factory.CreateHttpsClient().From("203.0.113.20");
        using (var booked = await other.PostChoiceAsync(await other.GetDocumentAsync(path), path, slot))
        {
            Assert.Equal(HttpStatusCode.Redirect, booked.StatusCode);
        }

        Assert.Equal(slot, Assert.Single(await BookingsAsync(mail)).StartUtc);
    }
}
