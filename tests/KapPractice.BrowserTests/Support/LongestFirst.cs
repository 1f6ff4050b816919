using Xunit.Abstractions;
using Xunit.Sdk;

[assembly: TestCollectionOrderer("KapPractice.Tests.Support.LongestFirst", "KapPractice.BrowserTests")]

namespace KapPractice.Tests.Support;

/// <summary>
/// Starts the test collections that take longest first. xunit runs as many collections side by side as there are cores,
/// in the order given here; by default that order is arbitrary, and a long collection started last ran on alone at the
/// end. The order is from the durations the TRX of a run reports; a collection not listed runs after these.
/// </summary>
public sealed class LongestFirst : ITestCollectionOrderer
{
    private static readonly string[] Order =
    [
        "AdminApp",
        "PublicPagesTests",
        "InquiryFormTests",
        "PasskeyTests",
        "BookingPagesTests",
        "FollowUpPagesTests",
    ];

    public IEnumerable<ITestCollection> OrderTestCollections(IEnumerable<ITestCollection> testCollections) =>
        testCollections.OrderBy(Rank).ThenBy(c => c.DisplayName, StringComparer.Ordinal);

    /// <summary>A collection is named by its definition class ([CollectionDefinition]) or else by its one test class.</summary>
    private static int Rank(ITestCollection collection)
    {
        var name = collection.CollectionDefinition?.Name ?? collection.DisplayName;
        var rank = Array.FindIndex(Order, n => name.EndsWith("." + n, StringComparison.Ordinal));
        return rank < 0 ? Order.Length : rank;
    }
}
