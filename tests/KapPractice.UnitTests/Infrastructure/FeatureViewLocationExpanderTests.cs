using System.Reflection;
using KapPractice.Web.Infrastructure;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Controllers;
using Microsoft.AspNetCore.Mvc.Razor;
using Microsoft.AspNetCore.Routing;

namespace KapPractice.UnitTests.Infrastructure;

public sealed class FeatureViewLocationExpanderTests
{
    [Fact]
    public void A_controller_finds_views_in_its_feature_folder_then_in_shared()
    {
        var expander = new FeatureViewLocationExpander();
        var context = ContextFor(typeof(Web.Features.Home.HomeController));

        expander.PopulateValues(context);
        var locations = expander.ExpandViewLocations(context, ["/Views/{1}/{0}.cshtml"]).ToList();

        Assert.Equal(["/Features/Home/{0}.cshtml", "/Features/Shared/{0}.cshtml"], locations);
    }

    private static ViewLocationExpanderContext ContextFor(Type controller)
    {
        var action = new ControllerActionDescriptor { ControllerTypeInfo = controller.GetTypeInfo(), ControllerName = "Home", ActionName = "Index" };
        var actionContext = new ActionContext(new DefaultHttpContext(), new RouteData(), action);
        return new ViewLocationExpanderContext(actionContext, "Index", controllerName: "Home", areaName: null, pageName: null, isMainPage: true)
        {
            Values = new Dictionary<string, string?>(),
        };
    }
}
