using Microsoft.AspNetCore.Mvc;

namespace KapPractice.Web.Features.Shared;

/// <summary>Friendly pages for error status codes, re-executed by the status-code and exception middleware.</summary>
[ApiExplorerSettings(IgnoreApi = true)]
public sealed class ErrorController : Controller
{
    [Route("error/{code:int}")]
    [IgnoreAntiforgeryToken]
    public IActionResult Show()
    {
        // Read from the route by hand: binding a parameter would read the form again, and an unreadable form is often why we are here.
        var status = int.TryParse(RouteData.Values["code"] as string, out var code) && code is >= 400 and <= 599 ? code : 500;
        Response.StatusCode = status;
        return View("Error", status);
    }
}
