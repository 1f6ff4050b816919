using AngleSharp.Dom;
using KapPractice.Web.Features.AdminShell;
using KapPractice.Web.Infrastructure.Audit;
using System.Net;
using System.Text.RegularExpressions;
using KapPractice.IntegrationTests.Replies;
using KapPractice.Web.Domain;
using KapPractice.Web.Features.InquiryReview;
using KapPractice.Web.Features.Retention;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace KapPractice.IntegrationTests.Booking;

[Collection(SharedBookingMailApp.Name)]
public sealed partial class BookingAdminTests(SharedBookingMail shared)
{
    // The shared harness has Admin:SignInPermitLimit 1000 too.
    private Task<MailHarness> StartAsync() => shared.StartAsync();

    [GeneratedRegex(@"https://kap\.test(/booking/[A-Za-z0-9_\-]+)")]
    private static partial Regex LinkInText();

    [Theory]
    [InlineData("GET", "/admin/booking")]
    [InlineData("GET", "/admin/booking/hours")]
    [InlineData("POST", "/admin/booking/hours")]
    [InlineData("POST", "/admin/booking/feed")]
    [InlineData("POST", "/admin/booking/1/cancel")]
    [InlineData("POST", "/admin/inquiries/1/booking-link")]
    public async Task Admin_booking_routes_refuse_a_signed_out_request(string method, string path)
    {
        await using var mail = await StartAsync();
        using var client = mail.Factory.CreateHttpsClient();
        // Posts carry a valid (anonymous) antiforgery token, so only the sign-in requirement can turn them away.
        var token = await client.AnonymousTokenAsync();
        using var request = new HttpRequestMessage(new HttpMethod(method), new Uri(path, UriKind.Relative))
        {
            Content = method == "POST" ? new FormUrlEncodedContent([new("__RequestVerificationToken", token)]) : null,
        };
        using var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal(AdminSetup.SignInPath, response.Headers.Location!.AbsolutePath);

        Assert.False(await mail.Factory.WithDbAsync(db => db.BookingSettings.AnyAsync()));
        Assert.False(await mail.Factory.WithDbAsync(db => db.BookingLinks.AnyAsync()));
    }

    [Fact]
    public async Task Her_hours_and_days_off_decide_the_times_offered_and_bad_hours_are_refused_with_a_message()
    {
        await using var mail = await StartAsync();
        var (admin, _) = await mail.Factory.SignedInClientAsync();
        var (_, path) = await mail.InquiryWithLinkAsync();
        var now = mail.Time.GetUtcNow().UtcDateTime;
        // The Wednesday two days ahead is a day off; the next one is open.
        var dayOff = DateOnly.FromDateTime(now.AddDays(2));

        using (var bad = await admin.PostAdminFormAsync("/admin/booking/hours", "/admin/booking/hours", ("Ranges[0]", ""), ("Ranges[1]", ""), ("Ranges[2]", "11:00-10:00"), ("Ranges[3]", ""), ("Ranges[4]", ""), ("Ranges[5]", ""), ("Ranges[6]", ""),
            ("SlotMinutes", "30"), ("GapMinutes", "0"), ("HorizonDays", "21"), ("NoticeHours", "24"), ("DaysOff", "")))
        {
            var page = await bad.ExpectAsync(HttpStatusCode.BadRequest);
            Assert.Contains("end must come after the start", page.QuerySelector(".error-summary")!.TextContent, StringComparison.Ordinal);
        }

        Assert.False(await mail.Factory.WithDbAsync(db => db.BookingSettings.AnyAsync()));
        using (var saved = await admin.PostAdminFormAsync("/admin/booking/hours", "/admin/booking/hours",
            ("Ranges[0]", ""), ("Ranges[1]", ""), ("Ranges[2]", "10:00-11:00"), ("Ranges[3]", ""), ("Ranges[4]", ""), ("Ranges[5]", ""), ("Ranges[6]", ""),
            ("SlotMinutes", "30"), ("GapMinutes", "0"), ("HorizonDays", "21"), ("NoticeHours", "24"), ("DaysOff", dayOff.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture))))
        {
            Assert.Equal(HttpStatusCode.Redirect, saved.StatusCode);
        }

        var offered = BookingTestSupport.OfferedTimes(await mail.Factory.CreateHttpsClient().GetDocumentAsync(path));
        var local = offered.Select(t => TimeZoneInfo.ConvertTimeFromUtc(t, BookingTestSupport.NewYork)).ToList();
        Assert.All(local, t => Assert.Equal(DayOfWeek.Wednesday, t.DayOfWeek));
        Assert.All(local, t => Assert.Contains(TimeOnly.FromDateTime(t), new[] { new TimeOnly(10, 0), new TimeOnly(10, 30) }));
        Assert.DoesNotContain(local, t => DateOnly.FromDateTime(t) == dayOff);
        Assert.Equal(4, local.Count); // the two Wednesdays after the day off, two calls each
        Assert.True(await mail.Factory.WithDbAsync(db => db.AuditEntries.AnyAsync(a => a.Action == AuditActions.BookingHoursChanged)));
    }

    [Fact]
    public async Task Send_booking_link_emails_the_client_a_private_link_that_opens_the_booking_page()
    {
        await using var mail = await StartAsync();
        var (admin, _) = await mail.Factory.SignedInClientAsync();
        var inquiry = await mail.Factory.SubmitAsync(ValidInquiry.Form());

        using (var sent = await admin.PostAdminFormAsync($"/admin/inquiries/{inquiry.Id}", "/booking-link"))
        {
            Assert.Equal(HttpStatusCode.Redirect, sent.StatusCode);
        }

        var mails = await mail.Smtp.WaitForAsync(_ => mail.To("alex@example.com").Any(m => m.Message.Subject?.StartsWith("Choose a time", StringComparison.Ordinal) == true));
        var message = mail.To("alex@example.com").Single(m => m.Message.Subject?.StartsWith("Choose a time", StringComparison.Ordinal) == true);
        Assert.Equal(MailHarness.PracticeAddress, Assert.Single(message.Message.ReplyTo.Mailboxes).Address);
        Assert.Contains("988", message.TextBody, StringComparison.Ordinal);
        Assert.DoesNotContain("Alex", message.Message.Subject, StringComparison.Ordinal);
        var path = LinkInText().Match(message.TextBody).Groups[1].Value;
        var page = await mail.Factory.CreateHttpsClient().GetDocumentAsync(path);
        Assert.NotEmpty(BookingTestSupport.OfferedTimes(page));
        Assert.True(await mail.Factory.WithDbAsync(db => db.AuditEntries.AnyAsync(a => a.InquiryId == inquiry.Id && a.Action == AuditActions.BookingLinkSent)));
        var inquiryPage = await admin.GetDocumentAsync($"/admin/inquiries/{inquiry.Id}");
        Assert.Contains("Last booking link sent", inquiryPage.QuerySelector("#booking-title")!.ParentElement!.TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task No_booking_link_is_sent_to_suspected_spam_by_the_same_rule_that_refuses_replies()
    {
        await using var mail = await StartAsync();
        var (admin, _) = await mail.Factory.SignedInClientAsync();
        var inquiry = await mail.Factory.SubmitAsync(ValidInquiry.Form());
        using (var marked = await admin.PostAdminFormAsync($"/admin/inquiries/{inquiry.Id}", "/spam"))
        {
            Assert.Equal(HttpStatusCode.Redirect, marked.StatusCode);
        }

        // The page offers no button, and says why in the words the reply panel uses.
        var page = await admin.GetDocumentAsync($"/admin/inquiries/{inquiry.Id}");
        var panel = page.QuerySelector("#booking-title")!.ParentElement!;
        Assert.Null(panel.QuerySelector("form[action$='/booking-link']"));
        Assert.Contains(Web.Domain.ClientContact.SpamProblem, panel.TextContent, StringComparison.Ordinal);

        // A post from a tab opened before it was marked (or made by hand) sends nothing and says why.
        using (var sent = await admin.PostWithTokenAsync($"/admin/inquiries/{inquiry.Id}", $"/admin/inquiries/{inquiry.Id}/booking-link", []))
        {
            Assert.Equal(HttpStatusCode.Redirect, sent.StatusCode);
        }

        var after = await admin.GetDocumentAsync($"/admin/inquiries/{inquiry.Id}");
        Assert.Equal(Web.Domain.ClientContact.SpamProblem, after.QuerySelector(".flash")!.TextContent.Trim());
        Assert.False(await mail.Factory.WithDbAsync(db => db.BookingLinks.AnyAsync()));
        Assert.False(await mail.Factory.WithDbAsync(db => db.OutboxMessages.AnyAsync(m => m.Kind == OutboxKind.BookingLinkToClient)));
        Assert.False(await mail.Factory.WithDbAsync(db => db.AuditEntries.AnyAsync(a => a.Action == AuditActions.BookingLinkSent)));
    }

    [Fact]
    public async Task Send_booking_link_while_a_call_is_booked_sends_the_same_link_so_the_invitation_keeps_working()
    {
        await using var mail = await StartAsync();
        var (admin, _) = await mail.Factory.SignedInClientAsync();
        var (id, path) = await mail.InquiryWithLinkAsync();
        var client = mail.Factory.CreateHttpsClient();
        using (var booked = await client.ChooseAsync(path))
        {
            Assert.Equal(HttpStatusCode.Redirect, booked.StatusCode);
        }

        using (var sent = await admin.PostAdminFormAsync($"/admin/inquiries/{id}", "/booking-link"))
        {
            Assert.Equal(HttpStatusCode.Redirect, sent.StatusCode);
        }

        await mail.Smtp.WaitForAsync(_ => mail.To("alex@example.com").Any(m => m.Message.Subject?.StartsWith("Your free consultation:", StringComparison.Ordinal) == true && m.TextBody.Contains("Change or cancel", StringComparison.Ordinal)));
        var resent = mail.To("alex@example.com").Last(m => m.TextBody.Contains("Change or cancel", StringComparison.Ordinal));
        var resentPath = LinkInText().Match(resent.TextBody).Groups[1].Value;
        foreach (var link in new[] { path, resentPath })
        {
            var page = await client.GetDocumentAsync(link);
            Assert.Contains("Cancel", page.Body!.TextContent, StringComparison.Ordinal);
        }

        Assert.Equal(1, await mail.Factory.WithDbAsync(db => db.BookingLinks.CountAsync(l => l.InquiryId == id)));
    }

    [Fact]
    public async Task Her_calendar_feed_lists_consultations_by_number_only_and_she_can_cancel_one_with_a_message()
    {
        await using var mail = await StartAsync();
        var (admin, _) = await mail.Factory.SignedInClientAsync();
        // An address of its own: mail to the builder's usual address from a test before it on this shared host cannot count here.
        const string client = "feed.cancel@example.com";
        var (id, path) = await mail.InquiryWithLinkAsync(i => i.Email = client);
        using (var _ = await mail.Factory.CreateHttpsClient().ChooseAsync(path))
        {
        }

        var list = await admin.GetDocumentAsync("/admin/booking");
        var link = list.QuerySelector($"a[href='/admin/inquiries/{id}']");
        Assert.Equal($"Consultation #{id}", link!.TextContent.Trim());

        string feedPath;
        using (var reset = await admin.PostAdminFormAsync("/admin/booking", "/admin/booking/feed"))
        {
            var page = await reset.ExpectAsync(HttpStatusCode.OK);
            feedPath = new Uri(page.QuerySelector(".feed-url")!.TextContent.Trim()).AbsolutePath;
        }

        using var feedClient = mail.Factory.CreateHttpsClient();
        using (var feed = await feedClient.GetAsync(new Uri(feedPath, UriKind.Relative)))
        {
            Assert.Equal(HttpStatusCode.OK, feed.StatusCode);
            Assert.Equal("text/calendar", feed.Content.Headers.ContentType!.MediaType);
            var text = await feed.Content.ReadAsStringAsync();
            var evt = Assert.Single(Ical.Net.Calendar.Load(text)!.Events);
            Assert.Equal($"Consultation #{id}", evt.Summary);
            Assert.DoesNotContain("Alex", text, StringComparison.Ordinal);
            Assert.DoesNotContain("Rivera", text, StringComparison.Ordinal);
            Assert.DoesNotContain("example.com", text, StringComparison.Ordinal);
        }

        using (var wrong = await feedClient.GetAsync(new Uri("/booking/feed/" + new string('A', 43) + ".ics", UriKind.Relative)))
        {
            Assert.Equal(HttpStatusCode.NotFound, wrong.StatusCode);
        }

        Assert.True(await mail.Factory.WithDbAsync(db => db.AuditEntries.AnyAsync(a => a.Action == AuditActions.BookingFeedReset)));
        var bookingId = await mail.Factory.WithDbAsync(db => db.Bookings.Select(b => b.Id).SingleAsync());
        using (var cancelled = await admin.PostAdminFormAsync("/admin/booking", $"/admin/booking/{bookingId}/cancel", ("message", "I am unwell that day <sorry>.")))
        {
            Assert.Equal(HttpStatusCode.Redirect, cancelled.StatusCode);
        }

        await mail.Smtp.WaitForAsync(_ => mail.WithCalendar(client, "CANCEL").Count == 1);
        var toClient = mail.WithCalendar(client, "CANCEL")[0];
        Assert.Contains("I am unwell that day <sorry>.", toClient.TextBody, StringComparison.Ordinal);
        Assert.Contains("I am unwell that day &lt;sorry&gt;.", toClient.HtmlBody, StringComparison.Ordinal);
        Assert.True(await mail.Factory.WithDbAsync(db => db.AuditEntries.AnyAsync(a => a.InquiryId == id && a.Action == AuditActions.ConsultationCancelled)));
        using var emptyFeed = await feedClient.GetAsync(new Uri(feedPath, UriKind.Relative));
        Assert.Empty(Ical.Net.Calendar.Load(await emptyFeed.Content.ReadAsStringAsync())!.Events);
    }

    /// <summary>A booked call more than three days ahead (so a retention period of a day can pass before it).</summary>
    private static async Task<(int InquiryId, int BookingId)> BookedAheadAsync(MailHarness mail)
    {
        var (inquiryId, path) = await mail.InquiryWithLinkAsync();
        using var client = mail.Factory.CreateHttpsClient();
        var now = mail.Time.GetUtcNow().UtcDateTime;
        var slot = BookingTestSupport.OfferedTimes(await client.GetDocumentAsync(path)).First(t => t > now.AddDays(3));
        using (await client.ChooseAsync(path, slot))
        {
        }

        return (inquiryId, await mail.Factory.WithDbAsync(db => db.Bookings.Select(b => b.Id).SingleAsync()));
    }

    [Fact]
    public async Task An_inquiry_with_a_call_ahead_is_not_deleted_until_the_call_is_cancelled()
    {
        await using var mail = await StartAsync();
        var (inquiryId, bookingId) = await BookedAheadAsync(mail);
        var (admin, _) = await mail.Factory.SignedInClientAsync();

        // The confirmation page says so and offers no Delete button.
        var confirm = await admin.GetDocumentAsync($"/admin/inquiries/{inquiryId}/delete");
        Assert.Equal(InquiryDeletionController.CallAheadMessage, confirm.QuerySelector(".call-ahead")!.TextContent);
        Assert.Null(confirm.QuerySelector($"form[action$='/admin/inquiries/{inquiryId}/delete']"));

        // A post anyway (a page opened before the booking) is refused with the same words.
        var token = (await admin.GetDocumentAsync($"/admin/inquiries/{inquiryId}")).QuerySelector<AngleSharp.Html.Dom.IHtmlInputElement>("input[name='__RequestVerificationToken']")!.Value;
        using (var content = new FormUrlEncodedContent([new("__RequestVerificationToken", token)]))
        using (var refused = await admin.PostAsync(new Uri($"/admin/inquiries/{inquiryId}/delete", UriKind.Relative), content))
        {
            Assert.Equal(HttpStatusCode.Redirect, refused.StatusCode);
            var page = await admin.GetDocumentAsync(refused.Headers.Location!.OriginalString);
            Assert.Equal(InquiryDeletionController.CallAheadMessage, page.QuerySelector(".flash")!.TextContent);
        }

        Assert.Equal(1, await mail.Factory.WithDbAsync(db => db.Inquiries.CountAsync()));
        Assert.Equal(BookingState.Active, (await mail.Factory.WithDbAsync(db => db.Bookings.SingleAsync())).State);
        Assert.DoesNotContain(await mail.Factory.WithDbAsync(db => db.AuditEntries.ToListAsync()), a => a.Action == AuditActions.Deleted);

        // Cancelled (the client is told), the inquiry can go.
        using (var cancelled = await admin.PostAdminFormAsync("/admin/booking", $"/admin/booking/{bookingId}/cancel", ("message", "")))
        {
            Assert.Equal(HttpStatusCode.Redirect, cancelled.StatusCode);
        }

        using (var deleted = await admin.PostAdminFormAsync($"/admin/inquiries/{inquiryId}/delete", $"/admin/inquiries/{inquiryId}/delete"))
        {
            Assert.Equal(HttpStatusCode.Redirect, deleted.StatusCode);
        }

        Assert.Equal(0, await mail.Factory.WithDbAsync(db => db.Inquiries.CountAsync()));
    }

    [Fact]
    public async Task Retention_leaves_a_closed_inquiry_alone_while_its_call_is_ahead()
    {
        await using var mail = await BookingTestSupport.StartAsync(BookingTestSupport.NextMonday(), f => f
            .WithSetting("Admin:SignInPermitLimit", "1000")
            .WithSetting("Retention:DeleteClosedAfterDays", "1")
            .WithSetting("Retention:SweepInterval", "7.00:00:00"));
        var (inquiryId, bookingId) = await BookedAheadAsync(mail);
        var (admin, _) = await mail.Factory.SignedInClientAsync();
        using (await admin.PostAdminFormAsync($"/admin/inquiries/{inquiryId}", "/status", ("status", "Closed")))
        {
        }

        mail.Time.Advance(TimeSpan.FromDays(2));
        Assert.Equal(0, await SweepAsync(mail));
        Assert.Equal(1, await mail.Factory.WithDbAsync(db => db.Inquiries.CountAsync()));

        // Two days on, her session has ended: signed in again.
        var (later, _) = await mail.Factory.SignedInClientAsync();
        using (var cancelled = await later.PostAdminFormAsync("/admin/booking", $"/admin/booking/{bookingId}/cancel", ("message", "")))
        {
            Assert.Equal(HttpStatusCode.Redirect, cancelled.StatusCode);
        }

        Assert.Equal(1, await SweepAsync(mail));
    }

    private static async Task<int> SweepAsync(MailHarness mail)
    {
        await using var scope = mail.Factory.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<RetentionSweeper>().SweepAsync(CancellationToken.None);
    }
}
