using Ical.Net;
using KapPractice.Web.Domain;
using KapPractice.Web.Features.Booking;
using KapPractice.Web.Infrastructure;

namespace KapPractice.UnitTests.Features.Booking;

/// <summary>The invitation's and the feed's event times, read back by a calendar library, are the instants booked.</summary>
public sealed class BookingCalendarTests
{
    private static readonly DateTimeOffset Now = new(2027, 3, 1, 12, 0, 0, TimeSpan.Zero);

    private static Web.Domain.Booking Booking(DateTime startUtc, int minutes) => new()
    {
        Id = 3,
        InquiryId = 7,
        Uid = "test@kappractice",
        StartUtc = startUtc,
        EndUtc = startUtc.AddMinutes(minutes),
        Mode = ConsultationMode.Phone,
    };

    public static TheoryData<DateTime, int> NightsTheClocksChange => new()
    {
        // Spring forward in New York, 14 March 2027: 01:45 EST, ending at 03:00 EDT.
        { new DateTime(2027, 3, 14, 6, 45, 0, DateTimeKind.Utc), 15 },
        // Fall back, 7 November 2027: 01:30 EDT for 30 minutes ends at 01:00 EST, an earlier wall time than its start.
        { new DateTime(2027, 11, 7, 5, 30, 0, DateTimeKind.Utc), 30 },
        // The second 01:30 that night (EST).
        { new DateTime(2027, 11, 7, 6, 30, 0, DateTimeKind.Utc), 30 },
    };

    [Theory]
    [MemberData(nameof(NightsTheClocksChange))]
    public void An_invitation_and_the_feed_end_after_they_start_at_the_instants_booked(DateTime startUtc, int minutes)
    {
        var booking = Booking(startUtc, minutes);
        var invitation = BookingEmails.Calendar(booking, new PracticeOptions(), new BookingOptions(), forPractitioner: false, cancel: false, Now);
        var feed = BookingFeed.Calendar([booking], Now);

        foreach (var text in new[] { invitation, feed })
        {
            var evt = Assert.Single(Calendar.Load(text)!.Events);
            Assert.Equal(booking.StartUtc, evt.DtStart!.AsUtc);
            Assert.Equal(booking.EndUtc, evt.DtEnd!.AsUtc);
            Assert.True(evt.DtEnd.AsUtc > evt.DtStart.AsUtc, $"DTEND {evt.DtEnd} is not after DTSTART {evt.DtStart}");
        }
    }
}
