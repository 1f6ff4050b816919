using System.Security.Cryptography;
using System.Text;
using Ical.Net;
using Ical.Net.Serialization;
using KapPractice.Web.Domain;
using Microsoft.AspNetCore.WebUtilities;

namespace KapPractice.Web.Features.Booking;

/// <summary>
/// The practitioner's calendar subscription: a secret of 256 random bits, stored only as its SHA-256, and the
/// feed of upcoming consultations, each titled "Consultation #N" and nothing else (calendar apps sync to third parties).
/// </summary>
public static class BookingFeed
{
    public static string NewSecret() => WebEncoders.Base64UrlEncode(RandomNumberGenerator.GetBytes(32));

    public static byte[] Hash(string secret) => SHA256.HashData(Encoding.UTF8.GetBytes(secret ?? ""));

    public static bool Matches(string? secret, byte[]? storedHash) =>
        storedHash is { Length: > 0 } && !string.IsNullOrEmpty(secret) && secret.Length <= 100
        && CryptographicOperations.FixedTimeEquals(Hash(secret), storedHash);

    /// <summary>The feed's events, with times in UTC like the invitations' (<see cref="BookingEmails.Event"/>).</summary>
    public static string Calendar(IEnumerable<Domain.Booking> bookings, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(bookings);
        var calendar = new Calendar { ProductId = BookingEmails.ProductId };
        foreach (var booking in bookings)
        {
            var evt = BookingEmails.Event(booking, now);
            evt.Summary = BookingEmails.EventTitle(booking.InquiryId);
            calendar.Events.Add(evt);
        }

        return new CalendarSerializer().SerializeToString(calendar)!;
    }
}
