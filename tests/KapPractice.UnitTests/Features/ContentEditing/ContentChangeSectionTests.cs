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
    public static TheoryData<string> PostingActions()
    {
        var data = new TheoryData<string>();
        foreach (var action in Actions().Where(a => a.GetCustomAttributes<HttpMethodAttribute>().Any(m => m.HttpMethods.Contains("POST"))))
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

    private static IEnumerable<MethodInfo> Actions() =>
        typeof(ContentPaths).Assembly.GetTypes()
            .Where(t => t.Namespace == typeof(ContentPaths).Namespace && typeof(ControllerBase).IsAssignableFrom(t))
            .SelectMany(t => t.GetMethods(BindingFlags.Public | BindingFlags.Instance | BindingFlags.DeclaredOnly));
}
