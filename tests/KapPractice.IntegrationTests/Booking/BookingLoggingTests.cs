using System.Net;
using KapPractice.Tests.Support;

namespace KapPractice.IntegrationTests.Booking;

/// <summary>A booking link can move or cancel a client's call and the feed secret opens her calendar: neither may reach a log.</summary>
[Collection(CapturedLogs.Name)]
public sealed class BookingLoggingTests
{
    [Fact]
    public async Task Booking_links_and_feed_secrets_are_redacted_from_the_request_log()
    {
        await using var mail = await BookingTestSupport.StartAsync(BookingTestSupport.NextMonday());
        var client = mail.Factory.CreateHttpsClient();
        var (_, path) = await mail.InquiryWithLinkAsync();
        using (var booked = await client.ChooseAsync(path))
        {
            Assert.Equal(HttpStatusCode.Redirect, booked.StatusCode);
        }

        var secret = Convert.ToHexString(System.Security.Cryptography.RandomNumberGenerator.GetBytes(16));
        using (var feed = await client.GetAsync(new Uri($"/booking/feed/{secret}.ics", UriKind.Relative)))
        {
            Assert.Equal(HttpStatusCode.NotFound, feed.StatusCode);
        }

        var token = path["/booking/".Length..];
        var requests = mail.Logs.Events
            .Where(e => e.Properties.ContainsKey("RequestMethod") && e.Properties.ContainsKey("StatusCode"))
            .Select(e => $"{Scalar(e, "RequestMethod")} {Scalar(e, "RequestPath")} {Scalar(e, "StatusCode")}")
            .ToList();
        Assert.Contains("GET /booking/(redacted) 200", requests);
        Assert.Contains("POST /booking/(redacted) 302", requests);
        Assert.Contains("GET /booking/(redacted) 404", requests);
        Assert.DoesNotContain(mail.Logs.Lines, l => l.Contains(token, StringComparison.Ordinal) || l.Contains(secret, StringComparison.OrdinalIgnoreCase));
    }

    private static string? Scalar(Serilog.Events.LogEvent e, string name) =>
        (e.Properties[name] as Serilog.Events.ScalarValue)?.Value?.ToString();
}
