using System.Reflection;

namespace KapPractice.BrowserTests;

/// <summary>
/// Every test class that takes a browser fixture closes its pages when each test ends (BrowserFixture.ClosePagesAsync):
/// the end-of-fixture check alone would miss a class that shares its fixture with others, whose pages the next class closes.
/// </summary>
public sealed class BrowserTestClassesTests
{
    public static TheoryData<Type> ClassesTakingAFixture() => [.. Classes()];

    [Fact]
    public void The_list_holds_the_classes_of_the_suite()
    {
        Assert.Contains(typeof(PublicPagesTests), Classes());
        Assert.Contains(typeof(AdminPagesTests), Classes());
    }

    [Theory]
    [MemberData(nameof(ClassesTakingAFixture))]
    public async Task The_class_closes_its_pages_when_a_test_ends(Type testClass)
    {
        ArgumentNullException.ThrowIfNull(testClass);
        var (constructor, fixtureType) = FixtureParameter(testClass)!.Value;
        var fixture = (BrowserFixture)Activator.CreateInstance(fixtureType)!; // made, never started: nothing runs
        try
        {
            var test = constructor.Invoke([fixture]);

            var lifetime = Assert.IsAssignableFrom<IAsyncLifetime>(test);
            await lifetime.DisposeAsync();

            Assert.Equal(1, fixture.TestEnds);
        }
        finally
        {
            await fixture.DisposeAsync();
        }
    }

    private static IEnumerable<Type> Classes() => typeof(BrowserTestClassesTests).Assembly.GetTypes()
        .Where(t => t is { IsClass: true, IsAbstract: false } && FixtureParameter(t) is not null)
        .OrderBy(t => t.Name, StringComparer.Ordinal);

    private static (ConstructorInfo Constructor, Type Fixture)? FixtureParameter(Type type) =>
        type.GetConstructors()
            .Where(c => c.GetParameters() is [var only] && typeof(BrowserFixture).IsAssignableFrom(only.ParameterType))
            .Select(c => ((ConstructorInfo, Type)?)(c, c.GetParameters()[0].ParameterType))
            .FirstOrDefault();
}
