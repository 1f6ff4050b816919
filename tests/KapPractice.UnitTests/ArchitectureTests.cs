using ArchUnitNET.Domain;
using ArchUnitNET.Fluent;
using ArchUnitNET.Loader;
using ArchUnitNET.xUnit;
using static ArchUnitNET.Fluent.ArchRuleDefinition;

namespace KapPractice.UnitTests;

/// <summary>
/// The folder rules of the web project (README, "How the code is laid out"): the inquiry's own folder
/// refers to no plumbing, Data and Email never refer to each other, and Infrastructure never refers to Features.
/// </summary>
public sealed class ArchitectureTests
{
    private const string Web = "KapPractice.Web";

    private static readonly Architecture App = new ArchLoader().LoadAssemblies(typeof(Program).Assembly).Build();

    private static ArchUnitNET.Fluent.Syntax.Elements.Types.GivenTypesConjunctionWithDescription In(string folder) => Types().That().ResideInNamespaceOrBelow($"{Web}.{folder}").As(folder);

    [Theory]
    [InlineData("Infrastructure.Data", "Infrastructure.Email")]
    [InlineData("Infrastructure.Email", "Infrastructure.Data")]
    [InlineData("Infrastructure.Data", "Infrastructure.Outbox")]
    [InlineData("Infrastructure.Email", "Infrastructure.Outbox")]
    [InlineData("Infrastructure", "Features")]
    [InlineData("Domain", "Infrastructure")]
    [InlineData("Domain", "Features")]
    public void A_folder_never_refers_to_a_folder_it_must_not_know(string folder, string forbidden)
    {
        IArchRule rule = Types().That().Are(In(folder)).Should().NotDependOnAny(In(forbidden))
            .Because($"{folder} must not know {forbidden}");

        rule.Check(App);
    }
}
