using Microsoft.Extensions.Options;

namespace KapPractice.IntegrationTests.Email;

/// <summary>Email:Smtp is checked at start-up like every other setting, so a typo stops the site instead of every email.</summary>
public sealed class SmtpSettingTests
{
    [Theory]
    [InlineData("Email:Smtp:Port", "0")]
    [InlineData("Email:Smtp:Port", "99999")]
    [InlineData("Email:Smtp:Timeout", "00:00:00")]
    public async Task A_bad_smtp_setting_stops_start_up_with_a_message_naming_the_key(string key, string value)
    {
        await using var factory = new KapPracticeFactory().WithSetting("Email:Smtp:Host", "smtp.example.org").WithSetting(key, value);

        var error = Assert.Throws<OptionsValidationException>(() => factory.Services);

        Assert.Contains($"{key} must be from", error.Message, StringComparison.Ordinal);
    }
}
