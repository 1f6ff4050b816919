using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace KapPractice.Tests.Support;

/// <summary>
/// TestServer leaves RemoteIpAddress null, so every request would share one rate-limit partition; this lets
/// a test say which address each client posts from (test builds only, never the app).
/// </summary>
public static class ClientAddresses
{
    public const string Header = "X-Test-Client-Ip";

    /// <summary>Reads <see cref="Header"/> into the connection's remote address before any of the app's middleware runs.</summary>
    public static KapPracticeFactory WithClientAddresses(this KapPracticeFactory factory)
    {
        ArgumentNullException.ThrowIfNull(factory);
        return factory.WithServices(services => services.AddSingleton<IStartupFilter, SetRemoteAddressFilter>());
    }

    /// <summary>A client whose every request comes from <paramref name="address"/>.</summary>
    public static HttpClient From(this HttpClient client, string address)
    {
        ArgumentNullException.ThrowIfNull(client);
        client.DefaultRequestHeaders.Add(Header, address);
        return client;
    }

    private sealed class SetRemoteAddressFilter : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            app.Use((HttpContext context, RequestDelegate nextMiddleware) =>
            {
                if (IPAddress.TryParse(context.Request.Headers[Header].ToString(), out var address))
                {
                    context.Connection.RemoteIpAddress = address;
                }

                return nextMiddleware(context);
            });
            next(app);
        };
    }
}
