using Microsoft.AspNetCore.Mvc.Controllers;
using Microsoft.AspNetCore.Mvc.Razor;

namespace KapPractice.Web.Infrastructure;

/// <summary>Views live beside their controller: Features/{Feature}/{View}.cshtml, then Features/Shared.</summary>
public sealed class FeatureViewLocationExpander : IViewLocationExpander
{
    private const string Key = "feature";

    public void PopulateValues(ViewLocationExpanderContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (context.ActionContext.ActionDescriptor is ControllerActionDescriptor action)
        {
            var ns = action.ControllerTypeInfo.Namespace ?? string.Empty;
            var marker = ".Features.";
            var start = ns.IndexOf(marker, StringComparison.Ordinal);
            context.Values[Key] = start < 0 ? null : ns[(start + marker.Length)..].Replace('.', '/');
        }
    }

    public IEnumerable<string> ExpandViewLocations(ViewLocationExpanderContext context, IEnumerable<string> viewLocations)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (context.Values.TryGetValue(Key, out var feature) && !string.IsNullOrEmpty(feature))
        {
            yield return $"/Features/{feature}/{{0}}.cshtml";
        }

        yield return "/Features/Shared/{0}.cshtml";
    }
}
