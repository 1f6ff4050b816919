using KapPractice.Web.Features.Inquiries;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace KapPractice.UnitTests.Features.Inquiries;

public sealed class InquirySpamCheckTests
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 5, 1, 12, 0, 0, TimeSpan.Zero));
    private readonly EphemeralDataProtectionProvider _keys = new();

    private InquirySpamCheck Check(double minimumSeconds = 3, double maximumHours = 24) =>
        new(_keys, _time, Options.Create(new SpamOptions
        {
            MinimumFillTime = TimeSpan.FromSeconds(minimumSeconds),
            MaximumFillTime = TimeSpan.FromHours(maximumHours),
        }));

    [Fact]
    public void A_form_sent_back_after_the_minimum_time_is_not_suspected()
    {
        var check = Check();
        var token = check.IssueToken();
        _time.Advance(TimeSpan.FromSeconds(3));

        Assert.Null(check.ReasonToSuspect(new InquiryForm { FillToken = token }));
    }

    [Fact]
    public void A_form_sent_back_too_soon_is_suspected_with_the_time_it_took()
    {
        var check = Check();
        var token = check.IssueToken();
        _time.Advance(TimeSpan.FromSeconds(1.5));

        var reason = check.ReasonToSuspect(new InquiryForm { FillToken = token });

        Assert.Equal("Sent 1.5 s after the form was shown (the minimum is 3 s).", reason);
    }

    [Fact]
    public void A_missing_token_is_suspected()
    {
        Assert.Contains("missing", Check().ReasonToSuspect(new InquiryForm()), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("not-a-token")]
    [InlineData("CfDJ8AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")]
    public void A_forged_token_is_suspected(string token)
    {
        Assert.Contains("invalid or tampered", Check().ReasonToSuspect(new InquiryForm { FillToken = token }), StringComparison.Ordinal);
    }

    [Fact]
    public void A_token_signed_for_another_purpose_is_suspected()
    {
        var other = _keys.CreateProtector("Something.Else").Protect(_time.GetUtcNow().UtcTicks.ToString(System.Globalization.CultureInfo.InvariantCulture));
        _time.Advance(TimeSpan.FromMinutes(5));

        Assert.Contains("invalid or tampered", Check().ReasonToSuspect(new InquiryForm { FillToken = other }), StringComparison.Ordinal);
    }

    [Fact]
    public void A_filled_honeypot_is_suspected_even_with_a_good_token()
    {
        var check = Check();
        var token = check.IssueToken();
        _time.Advance(TimeSpan.FromMinutes(5));

        Assert.Contains("honeypot", check.ReasonToSuspect(new InquiryForm { FillToken = token, Website = "https://spam.example" }), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(24, 23.9, null)]
    [InlineData(24, 24.5, "Sent 24 hours after the form was shown (the maximum is 1 day).")]
    [InlineData(24, 72, "Sent 3 days after the form was shown (the maximum is 1 day).")]
    [InlineData(2, 2.1, "Sent 2 hours after the form was shown (the maximum is 2 hours).")]
    [InlineData(0.5, 1, "Sent 1 hour after the form was shown (the maximum is 30 minutes).")]
    public void A_form_sent_back_after_the_maximum_age_is_suspected(double maximumHours, double elapsedHours, string? reason)
    {
        var check = Check(maximumHours: maximumHours);
        var token = check.IssueToken();
        _time.Advance(TimeSpan.FromHours(elapsedHours));

        Assert.Equal(reason, check.ReasonToSuspect(new InquiryForm { FillToken = token }));
    }

    [Fact]
    public void Each_form_load_gets_its_own_token_and_the_same_token_names_the_same_load()
    {
        var check = Check();
        var first = check.IssueToken();
        var second = check.IssueToken();

        Assert.NotEqual(first, second);
        Assert.NotNull(check.FormLoadOf(first));
        Assert.Equal(check.FormLoadOf(first), check.FormLoadOf(first));
        Assert.NotEqual(check.FormLoadOf(first), check.FormLoadOf(second));
        Assert.Null(check.FormLoadOf("not-a-token"));
        Assert.Null(check.FormLoadOf(null));
    }
}
