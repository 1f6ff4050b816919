using System.Net;
using KapPractice.Web.Domain;
using KapPractice.Web.Features.Booking;
using Microsoft.EntityFrameworkCore;

namespace KapPractice.IntegrationTests.Booking;

/// <summary>What an adversarial review of booking found: changes from stale pages, emails about older versions, and more.</summary>
[Collection(SharedBookingMailApp.Name)]
public sealed partial class BookingReviewTests(SharedBookingMail shared)
{
    [System.Text.RegularExpressions.GeneratedRegex(@"https://kap\.test(/booking/[A-Za-z0-9_\-]+)")]
    private static partial System.Text.RegularExpressions.Regex LinkInText();

    private static async Task<List<Web.Domain.Booking>> BookingsAsync(MailHarness mail) =>
        await mail.Factory.WithDbAsync(db => db.Bookings.AsNoTracking().OrderBy(b => b.Id).ToListAsync());

    [Fact]
    public async Task A_change_from_a_page_showing_an_older_version_is_refused_with_the_booking_as_it_stands()
    {
        await using var mail = await shared.StartAsync();
        var (client, path, offered) = await mail.BookFirstOfferedAsync();

        // Two tabs open the change page; the second moves the call, then the first posts its choice.
        var firstTab = await client.GetDocumentAsync(path + "?change=true");
        var secondTab = await client.GetDocumentAsync(path + "?change=true");
        using (var moved = await client.PostChoiceAsync(secondTab, path, offered[3]))
        {
            Assert.Equal(HttpStatusCode.Redirect, moved.StatusCode);
        }

        using (var stale = await client.PostChoiceAsync(firstTab, path, offered[5]))
        {
            var page = await stale.ExpectAsync(HttpStatusCode.Conflict);
            Assert.Contains(BookingController.ChangedMessage, page.Body!.TextContent, StringComparison.Ordinal);
        }

        var booking = Assert.Single(await BookingsAsync(mail));
        Assert.Equal((offered[3], 1, BookingState.Active), (booking.StartUtc, booking.Sequence, booking.State));

        // One tab cancels, the other then posts a new time.
        var thirdTab = await client.GetDocumentAsync(path + "?change=true");
        using (var cancelled = await client.CancelAsync(path))
        {
            Assert.Equal(HttpStatusCode.OK, cancelled.StatusCode);
        }

        using (var afterCancel = await client.PostChoiceAsync(thirdTab, path, offered[6]))
        {
            Assert.Equal(HttpStatusCode.Conflict, afterCancel.StatusCode);
        }

        booking = Assert.Single(await BookingsAsync(mail));
        Assert.Equal((offered[3], 2, BookingState.Cancelled), (booking.StartUtc, booking.Sequence, booking.State));
        await mail.Smtp.WaitForAsync(_ => mail.WithCalendar("alex@example.com", "CANCEL").Count == 1);
        Assert.DoesNotContain(mail.WithCalendar("alex@example.com", "REQUEST"), m => BookingTestSupport.CalendarOf(m.Message)!.Value.Calendar.Events.Single().Sequence >= 2);
    }

    [Fact]
    public async Task An_invitation_still_unsent_when_the_call_is_cancelled_never_goes_out_after_the_cancel()
    {
        await using var mail = await BookingTestSupport.StartAsync(BookingTestSupport.NextMonday());
        var (_, path) = await mail.InquiryWithLinkAsync();
        var client = mail.Factory.CreateHttpsClient();
        // The mail server is down: the invitations wait in the outbox.
        await mail.Smtp.StopAsync();
        using (var booked = await client.ChooseAsync(path))
        {
            Assert.Equal(HttpStatusCode.Redirect, booked.StatusCode);
        }

        using (var cancelled = await client.CancelAsync(path))
        {
            Assert.Equal(HttpStatusCode.OK, cancelled.StatusCode);
        }

        // An invitation the dispatcher was already sending at the moment of the cancel was composed before it: that
        // attempt must meet the stopped server, as it would have, before the server comes back. On a loaded machine the
        // attempt most likely reached the server after the restart and delivered that invitation: the race of a send
        // already under way (docs/performance.md, "Test run time"), not an unsent invitation going out. The dispatcher
        // takes one row at a time, and the cancellations exist only after the cancel: once both have been tried and
        // nothing is being sent, every attempt begun before the cancel has ended.
        await Eventually.TrueAsync(
            () => mail.Factory.WithDbAsync(async db =>
                !await db.OutboxMessages.AnyAsync(m => m.State == OutboxState.Sending)
                && await db.OutboxMessages.CountAsync(m => (m.Kind == OutboxKind.BookingCancelToClient || m.Kind == OutboxKind.BookingCancelToPractice) && m.Attempts >= 1) == 2),
            what: "the attempts under way at the cancel to end against the stopped server");
        await mail.Smtp.StartAsync();
        // That attempt is retried on its own back-off, maybe after the cancellation went: the clock moves on until it
        // has come up again (and been dropped), and until both cancellations, each on its own back-off, have gone.
        Task<int> UnsentInvitationsAsync() => mail.Factory.WithDbAsync(db => db.OutboxMessages.CountAsync(m => m.Kind == OutboxKind.BookingInviteToClient || m.Kind == OutboxKind.BookingReminderToClient));
        bool BothCancellationsSent() => mail.WithCalendar("alex@example.com", "CANCEL").Count == 1 && mail.WithCalendar(MailHarness.PracticeAddress, "CANCEL").Count == 1;
        for (var i = 0; i < 30 && (!BothCancellationsSent() || await UnsentInvitationsAsync() > 0); i++)
        {
            mail.Time.Advance(TimeSpan.FromMinutes(5));
            await Task.Delay(200);
        }

        await mail.Smtp.WaitForAsync(_ => BothCancellationsSent());
        Assert.Empty(mail.WithCalendar("alex@example.com", "REQUEST"));
        Assert.Empty(mail.WithCalendar(MailHarness.PracticeAddress, "REQUEST"));
        Assert.Equal(0, await UnsentInvitationsAsync());
    }

    [Fact]
    public async Task After_a_call_has_passed_send_booking_link_gives_a_link_that_books_again()
    {
        await using var mail = await BookingTestSupport.StartAsync(BookingTestSupport.NextMonday());
        var (inquiryId, path) = await mail.InquiryWithLinkAsync();
        var client = mail.Factory.CreateHttpsClient();
        var offered = BookingTestSupport.OfferedTimes(await client.GetDocumentAsync(path));
        using (var booked = await client.ChooseAsync(path, offered[0]))
        {
            Assert.Equal(HttpStatusCode.Redirect, booked.StatusCode);
        }

        mail.Time.Advance(offered[0] - mail.Time.GetUtcNow().UtcDateTime + TimeSpan.FromHours(1));
        var (admin, _) = await mail.Factory.SignedInClientAsync();
        using (var sent = await admin.PostAdminFormAsync($"/admin/inquiries/{inquiryId}", "/booking-link"))
        {
            Assert.Equal(HttpStatusCode.Redirect, sent.StatusCode);
        }

        await mail.Smtp.WaitForAsync(_ => mail.To("alex@example.com").Any(m => m.Message.Subject?.StartsWith("Choose a time", StringComparison.Ordinal) == true));
        var message = mail.To("alex@example.com").Last(m => m.Message.Subject?.StartsWith("Choose a time", StringComparison.Ordinal) == true);
        var newPath = LinkInText().Match(message.TextBody).Groups[1].Value;
        var page = await client.GetDocumentAsync(newPath);
        var times = BookingTestSupport.OfferedTimes(page);
        Assert.NotEmpty(times);
        using (var again = await client.PostChoiceAsync(page, newPath, times[0]))
        {
            Assert.Equal(HttpStatusCode.Redirect, again.StatusCode);
        }

        var bookings = await BookingsAsync(mail);
        Assert.Equal([BookingState.Held, BookingState.Active], bookings.Select(b => b.State));
        // The link of the passed call books nothing more.
        Assert.Equal(HttpStatusCode.Gone, (await client.GetAsync(new Uri(path, UriKind.Relative))).StatusCode);
    }

    [Fact]
    public async Task Pressing_the_same_time_twice_books_it_once_and_sends_one_invitation_each()
    {
        await using var mail = await shared.StartAsync();
        var (_, path) = await mail.InquiryWithLinkAsync();
        var client = mail.Factory.CreateHttpsClient();
        var page = await client.GetDocumentAsync(path);
        var first = BookingTestSupport.OfferedTimes(page)[0];
        using (var once = await client.PostChoiceAsync(page, path, first))
        {
            Assert.Equal(HttpStatusCode.Redirect, once.StatusCode);
        }

        using (var twice = await client.PostChoiceAsync(page, path, first))
        {
            Assert.Equal(HttpStatusCode.Redirect, twice.StatusCode);
        }

        var booking = Assert.Single(await BookingsAsync(mail));
        Assert.Equal((first, 0), (booking.StartUtc, booking.Sequence));
        await mail.Smtp.WaitForAsync(_ => mail.WithCalendar("alex@example.com", "REQUEST").Count >= 1 && mail.WithCalendar(MailHarness.PracticeAddress, "REQUEST").Count >= 1);
        Assert.Equal(2, await mail.Factory.WithDbAsync(db => db.OutboxMessages.CountAsync(m => m.Kind == OutboxKind.BookingInviteToClient || m.Kind == OutboxKind.BookingInviteToPractice)));
        Assert.Single(mail.WithCalendar("alex@example.com", "REQUEST"));
        Assert.Single(mail.WithCalendar(MailHarness.PracticeAddress, "REQUEST"));
    }
}
