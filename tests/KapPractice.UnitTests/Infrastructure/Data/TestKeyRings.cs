using KapPractice.Web.Infrastructure.Data.Encryption;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting.Internal;

namespace KapPractice.UnitTests.Infrastructure.Data;

/// <summary>Key rings for the unit tests, made and loaded as the site makes its own, from a key folder of the test's.</summary>
internal static class TestKeyRings
{
    /// <summary>A loaded ring whose key files are in <paramref name="keys"/> (made on the first key), its content root <paramref name="root"/>.</summary>
    public static DataKeyRing Load(string root, string keys)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            [DataKeyRing.KeyDirectorySetting] = keys,
        }).Build();
        var ring = new DataKeyRing(configuration, new HostingEnvironment { ContentRootPath = root });
        ring.Load();
        return ring;
    }
}
