using System.Net;
using IPNetwork = System.Net.IPNetwork;
using KapPractice.Web.Infrastructure.Security;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.Extensions.Configuration;

namespace KapPractice.UnitTests.Infrastructure.Security;

public sealed class ForwardedHeadersTests
{
    [Fact]
    public void Only_loopback_is_trusted_when_no_proxy_is_configured()
    {
        var options = Configure([]);

        Assert.Equal(ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto, options.ForwardedHeaders);
        Assert.Equal([IPAddress.IPv6Loopback], options.KnownProxies);
        Assert.Equal([IPNetwork.Parse("127.0.0.0/8")], options.KnownIPNetworks);
    }

    [Fact]
    public void Configured_proxies_and_networks_are_trusted_besides_loopback()
    {
        var options = Configure(new()
        {
            ["ForwardedHeaders:KnownProxies:0"] = "10.0.0.5",
            ["ForwardedHeaders:KnownProxies:1"] = "fd00::5",
            ["ForwardedHeaders:KnownNetworks:0"] = "172.18.0.0/16",
        });

        Assert.Contains(IPAddress.Parse("10.0.0.5"), options.KnownProxies);
        Assert.Contains(IPAddress.Parse("fd00::5"), options.KnownProxies);
        Assert.Contains(IPNetwork.Parse("172.18.0.0/16"), options.KnownIPNetworks);
        Assert.Contains(IPNetwork.Parse("127.0.0.0/8"), options.KnownIPNetworks);
    }

    [Fact]
    public void A_malformed_proxy_address_stops_start_up_with_a_clear_error()
    {
        Assert.Throws<FormatException>(() => Configure(new() { ["ForwardedHeaders:KnownProxies:0"] = "not-an-address" }));
    }

    private static ForwardedHeadersOptions Configure(Dictionary<string, string?> settings)
    {
        var options = new ForwardedHeadersOptions();
        SecuritySetup.ConfigureForwardedHeaders(options, new ConfigurationBuilder().AddInMemoryCollection(settings).Build());
        return options;
    }
}
