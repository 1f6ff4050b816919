using System.Net;
using KapPractice.Web.Features.SignIn;

namespace KapPractice.UnitTests.Features.SignIn;

public sealed class SignInThrottleTests
{
    [Theory]
    [InlineData("203.0.113.7", "203.0.113.7")]
    [InlineData("::ffff:203.0.113.7", "203.0.113.7")]
    [InlineData("2001:db8:1:2:aaaa:bbbb:cccc:dddd", "2001:db8:1:2::/64")]
    [InlineData("2001:db8:1:2::1", "2001:db8:1:2::/64")]
    [InlineData("2001:db8:1:3::1", "2001:db8:1:3::/64")]
    public void Failures_are_counted_per_IPv4_address_and_per_IPv6_network(string address, string expected) =>
        Assert.Equal(expected, SignInThrottle.ClientOf(IPAddress.Parse(address)));

    [Fact]
    public void A_request_without_an_address_is_counted_as_one_client() =>
        Assert.Equal("unknown", SignInThrottle.ClientOf((IPAddress?)null));
}
