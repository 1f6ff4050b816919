using System.Globalization;
using System.Net;
using Microsoft.EntityFrameworkCore;

namespace KapPractice.IntegrationTests.Booking;

/// <summary>A call at night on the day the clocks change in New York: its invitation and emails name the instants booked.</summary>
public sealed class BookingClockChangeTests
{
    public static TheoryData<string, string, string, string, string> Changes => new()
    {
        // Spring forward, Sunday 14 March 2027: 01:45 EST is 06:45 UTC; a 15-minute call ends at 03:00 EDT (02:00 is skipped).
        { "2027-03-11T12:00:00Z", "Sun 01:00-03:30", "2027-03-14T06:45:00Z", "Sun Mar 14, 1:45 AM Eastern", "2027-03-14 01:45 Eastern" },
        // Fall back, Sunday 7 November 2027: 01:45 EDT is 05:45 UTC; the call ends at 06:00 UTC, which New York calls 01:00 EST.
        { "2027-11-04T12:00:00Z", "Sun 01:00-02:00", "2027-11-07T05:45:00Z", "Sun Nov 7, 1:45 AM Eastern Daylight Time", "2027-11-07 01:45 Eastern Daylight Time" },
    };

    [Theory]
    [MemberData(nameof(Changes))]
    public async Task A_call_across_a_clock_change_has_an_invitation_ending_after_it_starts_at_the_instants_booked(
        string now, string hours, string start, string clientWhen, string practiceWhen)
    {
        var startUtc = DateTime.Parse(start, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal);
        var endUtc = startUtc.AddMinutes(15);
        await using var mail = await BookingTestSupport.StartAsync(DateTimeOffset.Parse(now, CultureInfo.InvariantCulture), f => f.WithSetting("Booking:DefaultHours", hours));
        var (id, path) = await mail.InquiryWithLinkAsync();
        var client = mail.Factory.CreateHttpsClient();
        Assert.Contains(startUtc, BookingTestSupport.OfferedTimes(await client.GetDocumentAsync(path)));

        using (var booked = await client.ChooseAsync(path, startUtc))
        {
            Assert.Equal(HttpStatusCode.Redirect, booked.StatusCode);
        }

        var booking = await mail.Factory.WithDbAsync(db => db.Bookings.AsNoTracking().SingleAsync());
        Assert.Equal((startUtc, endUtc), (booking.StartUtc, booking.EndUtc));
        await mail.Smtp.WaitForAsync(_ => mail.WithCalendar("alex@example.com", "REQUEST").Count == 1 && mail.WithCalendar(MailHarness.PracticeAddress, "REQUEST").Count == 1);

        foreach (var (address, when) in new[] { ("alex@example.com", clientWhen), (MailHarness.PracticeAddress, practiceWhen) })
        {
            var message = mail.WithCalendar(address, "REQUEST")[0];
            var evt = Assert.Single(BookingTestSupport.CalendarOf(message.Message)!.Value.Calendar.Events);
            Assert.Equal(startUtc, evt.DtStart!.AsUtc);
            Assert.Equal(endUtc, evt.DtEnd!.AsUtc);
            Assert.True(evt.DtEnd.AsUtc > evt.DtStart.AsUtc, $"DTEND {evt.DtEnd} is not after DTSTART {evt.DtStart}");
            // The time as people read it names which 1:45 in the hour repeated in autumn.
            Assert.Contains(when, message.Message.Subject, StringComparison.Ordinal);
            Assert.Contains(when, message.TextBody, StringComparison.Ordinal);
        }

        var confirmation = await client.GetDocumentAsync(path);
        Assert.Contains(clientWhen, confirmation.QuerySelector(".booking-when")!.TextContent, StringComparison.Ordinal);
        Assert.Equal($"Consultation #{id}", Assert.Single(BookingTestSupport.CalendarOf(mail.WithCalendar(MailHarness.PracticeAddress, "REQUEST")[0].Message)!.Value.Calendar.Events).Summary);
    }
}
