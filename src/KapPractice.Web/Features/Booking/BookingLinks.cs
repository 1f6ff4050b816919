using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using KapPractice.Web.Domain;
using KapPractice.Web.Features.Seo;
using KapPractice.Web.Infrastructure;
using KapPractice.Web.Infrastructure.Data;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace KapPractice.Web.Features.Booking;

public enum LinkProblem { None, Invalid, Expired, Used }

/// <summary>What a booking link opens: its row, its inquiry and the inquiry's active booking, or why it opens nothing.</summary>
public sealed record LinkCheck(LinkProblem Problem, BookingLink? Link = null, Inquiry? Inquiry = null, Domain.Booking? Booking = null);

/// <summary>
/// Private booking links: a <see cref="BookingLink"/> row per link, and a token signed and time-limited with Data
/// Protection that names the row and its random nonce. Only the newest link of an inquiry works (a new one
/// supersedes the last), none after its booking was cancelled or its call began, and none after it expires
/// (checked against the injected clock as well as by Data Protection).
/// </summary>
public sealed class BookingLinks(
    KapDbContext db,
    IDataProtectionProvider protection,
    IOptions<BookingOptions> options,
    IOptions<PracticeOptions> practice,
    IHttpContextAccessor http,
    TimeProvider time) : IBookingLinks
{
    public const string Purpose = "KapPractice.Booking.Link.v1";
    public const string PathPrefix = Infrastructure.Logging.SecretPaths.Booking;

    private ITimeLimitedDataProtector Protector => protection.CreateProtector(Purpose).ToTimeLimitedDataProtector();

    /// <summary>
    /// A reply's {BookingLink}, made when the reply is sent (never when the composer only shows a template). Saved at
    /// once when new (its id is in the token), so the caller runs it inside its own transaction. The link the client
    /// already has keeps working where it can (only the newest link works): the newest one is signed again while it
    /// is unused and has at least half its lifetime left, or while its booking is still ahead; only otherwise is a
    /// new link made, with a whole lifetime, superseding the one in her older email.
    /// </summary>
    public async Task<Uri> CreateAsync(int inquiryId, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow().UtcDateTime;
        var newest = await db.BookingLinks.Where(l => l.InquiryId == inquiryId)
            .OrderByDescending(l => l.Id).FirstOrDefaultAsync(cancellationToken);
        if (newest is { UsedUtc: null })
        {
            var booking = await db.Bookings.Where(b => b.InquiryId == inquiryId && b.State == BookingState.Active)
                .OrderByDescending(b => b.Id).FirstOrDefaultAsync(cancellationToken);
            if (booking is not null ? booking.StartUtc > now : newest.ExpiresUtc - now >= options.Value.LinkLifetime / 2)
            {
                return UrlFor(newest, booking?.StartUtc);
            }
        }

        var link = await NewLinkAsync(inquiryId, cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
        return UrlFor(link);
    }

    /// <summary>A new link row added to the unit of work (saved by the caller, with the email that carries it).</summary>
    public async Task<BookingLink> NewLinkAsync(int inquiryId, CancellationToken cancellationToken)
    {
        if (!await db.Inquiries.AnyAsync(i => i.Id == inquiryId, cancellationToken))
        {
            throw new InvalidOperationException($"Inquiry {inquiryId} does not exist.");
        }

        var now = time.GetUtcNow().UtcDateTime;
        var link = new BookingLink
        {
            InquiryId = inquiryId,
            Nonce = WebEncoders.Base64UrlEncode(RandomNumberGenerator.GetBytes(16)),
            BaseUrl = BaseUrl(),
            CreatedUtc = now,
            ExpiresUtc = now + options.Value.LinkLifetime,
        };
        db.BookingLinks.Add(link);
        return link;
    }

    /// <summary>
    /// The link's address: a fresh signature each time, naming the same row and nonce. A link sent with a booking
    /// is signed to last until the call, so the client can change or cancel it however far ahead it is.
    /// </summary>
    public Uri UrlFor(BookingLink link, DateTime? bookedStartUtc = null)
    {
        ArgumentNullException.ThrowIfNull(link);
        var payload = string.Create(CultureInfo.InvariantCulture, $"{link.Id}.{link.Nonce}");
        var validUntil = bookedStartUtc is { } start && start > link.ExpiresUtc ? start : link.ExpiresUtc;
        var token = Protector.Protect(payload, new DateTimeOffset(DateTime.SpecifyKind(validUntil, DateTimeKind.Utc)));
        return new Uri(link.BaseUrl.TrimEnd('/') + PathPrefix + token);
    }

    public async Task<LinkCheck> CheckAsync(string? token, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(token) || token.Length > 1000)
        {
            return new LinkCheck(LinkProblem.Invalid);
        }

        string payload;
        try
        {
            payload = Protector.Unprotect(token, out _);
        }
        catch (CryptographicException)
        {
            // Forged, altered, or past the expiry Data Protection itself checks.
            return new LinkCheck(LinkProblem.Invalid);
        }

        var dot = payload.IndexOf('.', StringComparison.Ordinal);
        if (dot < 0 || !int.TryParse(payload.AsSpan(0, dot), NumberStyles.None, CultureInfo.InvariantCulture, out var id))
        {
            return new LinkCheck(LinkProblem.Invalid);
        }

        var link = await db.BookingLinks.SingleOrDefaultAsync(l => l.Id == id, cancellationToken);
        if (link is null || !CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(link.Nonce), Encoding.ASCII.GetBytes(payload[(dot + 1)..])))
        {
            return new LinkCheck(LinkProblem.Invalid);
        }

        var now = time.GetUtcNow().UtcDateTime;
        var newer = await db.BookingLinks.AnyAsync(l => l.InquiryId == link.InquiryId && l.Id > link.Id, cancellationToken);
        if (newer || link.UsedUtc is not null)
        {
            return new LinkCheck(LinkProblem.Used, link);
        }

        // A call whose time has come no longer holds the inquiry (the unique index counts active ones only), so a
        // newer link can book a follow-up call; the link it was booked through stays used.
        await db.Bookings.Where(b => b.InquiryId == link.InquiryId && b.State == BookingState.Active && b.StartUtc <= now)
            .ExecuteUpdateAsync(s => s.SetProperty(b => b.State, BookingState.Held), cancellationToken);
        if (await db.Bookings.AnyAsync(b => b.LinkId == link.Id && b.State == BookingState.Held, cancellationToken))
        {
            return new LinkCheck(LinkProblem.Used, link);
        }

        var booking = await db.Bookings.Where(b => b.InquiryId == link.InquiryId && b.State == BookingState.Active)
            .OrderByDescending(b => b.Id).FirstOrDefaultAsync(cancellationToken);

        if (booking is null && now >= link.ExpiresUtc)
        {
            return new LinkCheck(LinkProblem.Expired, link);
        }

        var inquiry = await db.Inquiries.SingleOrDefaultAsync(i => i.Id == link.InquiryId, cancellationToken);
        return inquiry is null ? new LinkCheck(LinkProblem.Invalid) : new LinkCheck(LinkProblem.None, link, inquiry, booking);
    }

    private string BaseUrl()
    {
        if (!string.IsNullOrWhiteSpace(practice.Value.SiteUrl))
        {
            return practice.Value.SiteUrl.Trim().TrimEnd('/');
        }

        return http.HttpContext?.Request.BaseUrl(practice.Value)
            ?? throw new InvalidOperationException("A booking link needs Practice:SiteUrl when it is made outside a request.");
    }
}
