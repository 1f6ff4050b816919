using System.Reflection;
using KapPractice.Web.Features.AdminShell;
using KapPractice.Web.Features.Content;
using KapPractice.Web.Features.ContentEditing;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Routing;

namespace KapPractice.UnitTests.Features.ContentEditing;

/// <summary>
/// Every admin action that changes her content holds the content section for its transaction, so two instances' saves
/// of one revision cannot both pass the check (docs/deployment.md).
/// </summary>
public sealed class ContentChangeSectionTests
{
    /// <summary>Every action that may change something: all but those that answer GET or HEAD alone (no verb at all is any verb).</summary>
    public static TheoryData<string> PostingActions()
    {
        var data = new TheoryData<string>();
        foreach (var action in Actions().Where(a => !ReadsOnly(a)))
        {
            data.Add($"{action.DeclaringType!.Name}.{action.Name}");
        }

        return data;
    }

    [Fact]
    public void The_editing_slice_has_actions_that_post()
    {
        // Guards the theory below against finding nothing to check.
        Assert.True(PostingActions().Count >= 8, $"found {PostingActions().Count} posting actions");
    }

    [Theory]
    [MemberData(nameof(PostingActions))]
    public void An_action_that_posts_holds_the_content_section(string name)
    {
        var action = Actions().Single(a => $"{a.DeclaringType!.Name}.{a.Name}" == name);

        var unitOfWork = action.GetCustomAttribute<UnitOfWorkAttribute>();

        Assert.NotNull(unitOfWork);
        Assert.Equal(ContentPublishing.ChangesSection, unitOfWork.Section);
    }

    private static bool ReadsOnly(MethodInfo action)
    {
        var verbs = action.GetCustomAttributes().OfType<IActionHttpMethodProvider>().SelectMany(p => p.HttpMethods).ToList();
        return verbs.Count > 0 && verbs.All(v => v is "GET" or "HEAD");
    }

    /// <summary>The public action methods of every controller in the editing slice (and below), inherited ones included.</summary>
    private static IEnumerable<MethodInfo> Actions() =>
        typeof(ContentPaths).Assembly.GetTypes()
            .Where(t => t.Namespace is { } ns && ns.StartsWith(typeof(ContentPaths).Namespace!, StringComparison.Ordinal)
                && t.IsClass && !t.IsAbstract && t.Name.EndsWith("Controller", StringComparison.Ordinal))
            .SelectMany(t => t.GetMethods(BindingFlags.Public | BindingFlags.Instance))
            .Where(m => m.DeclaringType is { } declaring && declaring != typeof(Controller) && declaring != typeof(ControllerBase) && declaring != typeof(object)
                && !m.IsSpecialName && !m.IsDefined(typeof(NonActionAttribute)));
}
