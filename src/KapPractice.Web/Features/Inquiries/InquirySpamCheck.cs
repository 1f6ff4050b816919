using System.Globalization;
using System.Security.Cryptography;
using KapPractice.Web.Infrastructure;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.Options;

namespace KapPractice.Web.Features.Inquiries;

/// <summary>
/// The spam signals read from the post itself: a honeypot field people never see, and the time the form
/// was shown, signed with Data Protection so a client cannot forge it, which must lie between the
/// minimum and the maximum fill time. Each token also names its form load, so <see cref="FillTokenLedger"/>
/// can tell a load sent twice.
/// </summary>
public sealed class InquirySpamCheck(IDataProtectionProvider dataProtection, TimeProvider time, IOptions<SpamOptions> options)
{
    private const int MaxTokenLength = 1000;
    private readonly IDataProtector _protector = dataProtection.CreateProtector("Inquiry.FillTime");

    /// <summary>What a valid token says: when the form was shown, and which load of it (null in tokens issued before loads had ids).</summary>
    public readonly record struct FormLoad(DateTimeOffset ShownAt, string? Id);

    /// <summary>A token recording when the form was shown, and a random id for this one load of it.</summary>
    public string IssueToken() =>
        _protector.Protect(string.Create(CultureInfo.InvariantCulture, $"{time.GetUtcNow().UtcTicks}.{Guid.NewGuid():N}"));

    /// <summary>Why a submission looks like spam, or null when it does not.</summary>
    public string? ReasonToSuspect(InquiryForm form)
    {
        ArgumentNullException.ThrowIfNull(form);
        if (!string.IsNullOrEmpty(form.Website))
        {
            return "The hidden honeypot field was filled in (a bot, or a password manager's autofill).";
        }

        if (string.IsNullOrEmpty(form.FillToken))
        {
            return "The form's signed fill-time token was missing.";
        }

        if (FormLoadOf(form.FillToken) is not { } load)
        {
            return "The form's signed fill-time token was invalid or tampered with.";
        }

        var elapsed = time.GetUtcNow() - load.ShownAt;
        var (minimum, maximum) = (options.Value.MinimumFillTime, options.Value.MaximumFillTime);
        if (elapsed < minimum)
        {
            return $"Sent {elapsed.TotalSeconds:0.0} s after the form was shown (the minimum is {minimum.TotalSeconds:0.#} s).";
        }

        return elapsed > maximum
            ? $"Sent {Plural.Duration(elapsed)} after the form was shown (the maximum is {Plural.Duration(maximum)})."
            : null;
    }

    /// <summary>The form load a token names, or null when the token is missing, forged or unreadable.</summary>
    public FormLoad? FormLoadOf(string? token)
    {
        if (string.IsNullOrEmpty(token) || token.Length > MaxTokenLength)
        {
            return null;
        }

        string payload;
        try
        {
            payload = _protector.Unprotect(token);
        }
        catch (CryptographicException)
        {
            return null;
        }
        catch (FormatException)
        {
            return null;
        }

        var dot = payload.IndexOf('.', StringComparison.Ordinal);
        var (ticksText, id) = dot < 0 ? (payload, null) : (payload[..dot], payload[(dot + 1)..]);
        return long.TryParse(ticksText, NumberStyles.None, CultureInfo.InvariantCulture, out var ticks)
            && ticks <= DateTimeOffset.MaxValue.UtcTicks
            && (id is null || Guid.TryParseExact(id, "N", out _))
            ? new FormLoad(new DateTimeOffset(ticks, TimeSpan.Zero), id)
            : null;
    }
}
