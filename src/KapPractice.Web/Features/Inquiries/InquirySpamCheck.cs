using System.Globalization;
using System.Security.Cryptography;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.Options;

namespace KapPractice.Web.Features.Inquiries;

/// <summary>
/// The two spam signals: a honeypot field people never see, and the time the form was shown, signed
/// with Data Protection so a client cannot forge it.
/// </summary>
public sealed class InquirySpamCheck(IDataProtectionProvider dataProtection, TimeProvider time, IOptions<SpamOptions> options)
{
    private const int MaxTokenLength = 1000;
    private readonly IDataProtector _protector = dataProtection.CreateProtector("Inquiry.FillTime");

    /// <summary>A token recording when the form was shown.</summary>
    public string IssueToken() =>
        _protector.Protect(time.GetUtcNow().UtcTicks.ToString(CultureInfo.InvariantCulture));

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

        if (ShownAt(form.FillToken) is not { } shown)
        {
            return "The form's signed fill-time token was invalid or tampered with.";
        }

        var elapsed = time.GetUtcNow() - shown;
        var minimum = options.Value.MinimumFillTime;
        return elapsed < minimum
            ? $"Sent {elapsed.TotalSeconds:0.0} s after the form was shown (the minimum is {minimum.TotalSeconds:0.#} s)."
            : null;
    }

    private DateTimeOffset? ShownAt(string token)
    {
        if (token.Length > MaxTokenLength)
        {
            return null;
        }

        try
        {
            return long.TryParse(_protector.Unprotect(token), NumberStyles.None, CultureInfo.InvariantCulture, out var ticks)
                && ticks is >= 0 && ticks <= DateTimeOffset.MaxValue.UtcTicks
                ? new DateTimeOffset(ticks, TimeSpan.Zero)
                : null;
        }
        catch (CryptographicException)
        {
            return null;
        }
        catch (FormatException)
        {
            return null;
        }
    }
}
