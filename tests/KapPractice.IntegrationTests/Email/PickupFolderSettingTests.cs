using Microsoft.Extensions.Options;

namespace KapPractice.IntegrationTests.Email;

/// <summary>
/// Without an SMTP server every email, answers included, lands in the pickup folder: outside Development that
/// happens only when Email:AllowPickupFolder says so, otherwise start-up stops naming both settings.
/// </summary>
public sealed class PickupFolderSettingTests
{
    [Theory]
    [InlineData("Production")]
    [InlineData("Testing")]
    public async Task Outside_development_no_smtp_host_stops_start_up_with_a_message_naming_both_settings(string environment)
    {
        await using var factory = new KapPracticeFactory { EnvironmentName = environment }.WithSetting("Email:AllowPickupFolder", null);

        var error = Assert.Throws<OptionsValidationException>(() => factory.Services);

        Assert.Contains("Email:Smtp:Host is not set", error.Message, StringComparison.Ordinal);
        Assert.Contains("Email:AllowPickupFolder", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Production")]
    [InlineData("Testing")]
    public async Task Outside_development_the_pickup_folder_allowed_on_purpose_starts(string environment)
    {
        await using var factory = new KapPracticeFactory { EnvironmentName = environment }.WithSetting("Email:AllowPickupFolder", "true");

        using var client = factory.CreateClient();
        using var response = await client.GetAsync(new Uri("/healthz", UriKind.Relative));

        Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task An_smtp_host_needs_no_pickup_setting()
    {
        await using var factory = new KapPracticeFactory { EnvironmentName = "Production" }
            .WithSetting("Email:AllowPickupFolder", null).WithSetting("Email:Smtp:Host", "127.0.0.1").WithSetting("Email:Smtp:Port", "1");

        using var client = factory.CreateClient();
        using var response = await client.GetAsync(new Uri("/healthz", UriKind.Relative));

        Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task Development_writes_to_the_pickup_folder_with_no_setting()
    {
        await using var factory = new KapPracticeFactory { EnvironmentName = "Development" }.WithSetting("Email:AllowPickupFolder", null);

        using var client = factory.CreateClient();
        using var response = await client.GetAsync(new Uri("/healthz", UriKind.Relative));

        Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);
    }
}
