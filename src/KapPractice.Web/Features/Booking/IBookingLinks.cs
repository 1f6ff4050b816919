namespace KapPractice.Web.Features.Booking;

/// <summary>
/// What a reply's <c>{BookingLink}</c> placeholder is filled with when the reply is sent: a private booking link
/// for one inquiry (absolute, signed, expiring). Replies fill the placeholder only when the booking feature
/// registers an implementation; without one, the composer leaves it out and says so.
/// </summary>
public interface IBookingLinks
{
    Task<Uri> CreateAsync(int inquiryId, CancellationToken cancellationToken);
}
