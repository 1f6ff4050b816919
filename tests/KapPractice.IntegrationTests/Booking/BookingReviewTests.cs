using System.Net;
using KapPractice.Web.Domain;
using KapPractice.Web.Features.Booking;
using Microsoft.EntityFrameworkCore;

namespace KapPractice.IntegrationTests.Booking;

/// <summary>What an adversarial review of booking found: changes from stale pages, emails about older versions, and more.</summary>
public sealed class BookingReviewTests
{
    private static async Task<List<Web.Domain.Booking>> BookingsAsync(MailHarness mail) =>
        await mail.Factory.WithDbAsync(db => db.Bookings.AsNoTracking().OrderBy(b => b.Id).ToListAsync());

    [Fact]
    public async Task A_change_from_a_page_showing_an_older_version_is_refused_with_the_booking_as_it_stands()
    {
        await using var mail = await BookingTestSupport.StartAsync(BookingTestSupport.NextMonday());
        var (_, path) = await mail.InquiryWithLinkAsync();
        var client = mail.Factory.CreateHttpsClient();
        var offered = BookingTestSupport.OfferedTimes(await client.GetDocumentAsync(path));
        using (var booked = await client.ChooseAsync(path, offered[0]))
        {
            Assert.Equal(HttpStatusCode.Redirect, booked.StatusCode);
        }

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

        await mail.Smtp.StartAsync();
        for (var i = 0; i < 30 && mail.WithCalendar("alex@example.com", "CANCEL").Count == 0; i++)
        {
            mail.Time.Advance(TimeSpan.FromMinutes(5));
            await Task.Delay(200);
        }

        await mail.Smtp.WaitForAsync(_ => mail.WithCalendar("alex@example.com", "CANCEL").Count == 1 && mail.WithCalendar(MailHarness.PracticeAddress, "CANCEL").Count == 1);
        Assert.Empty(mail.WithCalendar("alex@example.com", "REQUEST"));
        Assert.Empty(mail.WithCalendar(MailHarness.PracticeAddress, "REQUEST"));
        Assert.Equal(0, await mail.Factory.WithDbAsync(db => db.OutboxMessages.CountAsync(m => m.Kind == OutboxKind.BookingInviteToClient || m.Kind == OutboxKind.BookingReminderToClient)));
    }
}
