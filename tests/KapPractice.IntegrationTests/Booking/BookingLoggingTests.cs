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

    [Fact]
    public async Task A_booking_link_or_feed_secret_in_a_path_written_another_way_is_redacted_too()
    {
        await using var mail = await BookingTestSupport.StartAsync(BookingTestSupport.NextMonday());
        var client = mail.Factory.CreateHttpsClient();
        var (_, path) = await mail.InquiryWithLinkAsync();
        var token = path["/booking/".Length..];
        var secret = Convert.ToHexString(System.Security.Cryptography.RandomNumberGenerator.GetBytes(16));
        (string Method, string Path)[] requests =
        [
            ("GET", $"//booking/{token}"),
            ("GET", $"/booking%2F{token}"),
            ("GET", $"/BOOKING%2f{token}"),
            ("GET", $"/Booking/{token}"),
            ("GET", $"/booking/{token}/"),
            ("GET", $"/booking//{token}"),
            ("POST", $"/Booking/{token}/cancel"),
            ("POST", $"//booking/{token}/cancel/"),
            ("GET", $"//booking/feed/{secret}.ics"),
            ("GET", $"/booking%2Ffeed%2F{secret}.ics"),
            ("GET", $"/booking/feed%2F{secret}.ics"),
            ("GET", $"/Booking/Feed/{secret}.ics"),
            ("GET", $"/booking/feed/{secret}.ics/"),
        ];
        foreach (var (method, address) in requests)
        {
            // An absolute address, so the client sends the path exactly as written (a relative "//..." would name a host).
            using var request = new HttpRequestMessage(new HttpMethod(method), new Uri("https://localhost" + address));
            using var response = await client.SendAsync(request);
            Assert.True((int)response.StatusCode < 500, $"{method} {address}: {(int)response.StatusCode}");
        }

        var logged = mail.Logs.Events
            .Where(e => e.Properties.ContainsKey("RequestMethod") && e.Properties.ContainsKey("StatusCode"))
            .Select(e => Scalar(e, "RequestPath") ?? "")
            .ToList();
        Assert.Equal(requests.Length, logged.Count);
        Assert.All(logged, p => Assert.Equal("/booking/(redacted)", p));
        Assert.DoesNotContain(mail.Logs.Lines, l => l.Contains(token, StringComparison.Ordinal) || l.Contains(secret, StringComparison.OrdinalIgnoreCase));
    }

    private static string? Scalar(Serilog.Events.LogEvent e, string name) =>
        (e.Properties[name] as Serilog.Events.ScalarValue)?.Value?.ToString();
}
