using ArchUnitNET.Domain;
using ArchUnitNET.Fluent;
using ArchUnitNET.Loader;
using ArchUnitNET.Fluent.Slices;
using ArchUnitNET.xUnit;
using KapPractice.Web.Infrastructure.Data;
using static ArchUnitNET.Fluent.ArchRuleDefinition;

namespace KapPractice.UnitTests;

/// <summary>
/// The folder rules of the web project (README.md): the inquiry's own folder refers to no plumbing, Data and Email
/// never refer to each other, Infrastructure never refers to Features; every folder under Features is a slice, no two
/// slices depend on each other in a loop, the shared admin pieces (AdminShell) and Shared use no slice, no view
/// queries the database, and no background check waits on a PeriodicTimer.
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

    /// <summary>Every top-level folder under Features is one slice (its subfolders belong to it).</summary>
    private const string SlicePattern = Web + ".Features.(*)..";

    /// <summary>Razor compiles every .cshtml into a class in this namespace of the web assembly.</summary>
    private const string CompiledViews = "AspNetCoreGeneratedDocument";

    [Fact]
    public void Feature_slices_are_free_of_cycles()
    {
        // A slice that uses another must not be used back by it: the two could no longer be read, changed or removed on their own.
        IArchRule rule = SliceRuleDefinition.Slices().Matching(SlicePattern).Should().BeFreeOfCycles();

        rule.Check(App);
    }

    [Theory]
    [InlineData("AdminShell")]
    [InlineData("Shared")]
    public void A_shared_slice_uses_no_other_slice(string shared)
    {
        var otherSlices = Types().That().ResideInNamespaceOrBelow($"{Web}.Features")
            .And().DoNotResideInNamespaceOrBelow($"{Web}.Features.{shared}")
            .As("the other slices");
        IArchRule rule = Types().That().Are(In($"Features.{shared}")).Should().NotDependOnAny(otherSlices)
            .Because($"every slice may use {shared}, so {shared} using one would be a loop");

        rule.Check(App);
    }

    [Fact]
    public void The_slice_pattern_sees_the_shared_slices_and_the_views()
    {
        // Guards the rules above against matching nothing: a renamed namespace would make them pass vacuously.
        Assert.Contains(App.Types, type => type.Namespace.FullName == $"{Web}.Features.AdminShell");
        Assert.Contains(App.Types, type => type.Namespace.FullName == $"{Web}.Features.Shared");
        Assert.Contains(App.Types, type => type.Namespace.FullName == CompiledViews);
    }

    [Fact]
    public void No_view_depends_on_the_database_context()
    {
        var context = Types().That().Are(typeof(KapDbContext), typeof(PostgreSqlKapDbContext)).As("the database context");
        IArchRule rule = Types().That().ResideInNamespace(CompiledViews).Should().NotDependOnAny(context)
            .Because("a view shows what its controller or view component loaded; it does not query the database");

        rule.Check(App);
    }

    [Fact]
    public void Nothing_waits_on_a_periodic_timer()
    {
        // A PeriodicTimer on a clock moved on by days fires once for every interval that passed: on a test's fake clock
        // a two-second timer moved by years kept a test busy for many minutes. Turns.WaitAsync waits once per turn.
        IArchRule rule = Types().That().ResideInNamespaceOrBelow(Web).Should()
            .NotDependOnAnyTypesThat().HaveFullName(typeof(PeriodicTimer).FullName!)
            .Because("a background check waits with Turns.WaitAsync, one delay per turn");

        rule.Check(App);
    }

    [Fact]
    public void The_timer_rule_sees_what_async_methods_use()
    {
        // The waits are inside async methods (their state machines): the rule above checks nothing unless those are seen.
        IArchRule rule = Types().That().HaveFullName(typeof(KapPractice.Web.Features.Content.ContentRefresher).FullName!).Should()
            .DependOnAnyTypesThat().HaveFullName(typeof(Turns).FullName!);

        rule.Check(App);
    }
}
