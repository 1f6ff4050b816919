using KapPractice.Web.Features.AdminShell;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Filters;
using Microsoft.Extensions.Options;

namespace KapPractice.Web.Features.SignIn;

/// <summary>
/// A step-up before changing what protects the account (docs/security.md): the action runs only when her
/// password, a code or a passkey was given in this session within Admin:ReauthenticateWithin, at sign-in or on the confirm page;
/// otherwise she is sent to the confirm page and back. The time is the session row's (AdminSession.LastProofUtc), read
/// with the session on every request, so nothing the browser sends can claim it.
/// </summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class RequireRecentProofAttribute : Attribute, IAsyncActionFilter
{
    /// <summary>The header that names the confirm page, for a script's request (<see cref="ForScript"/>).</summary>
    public const string ConfirmHeader = "X-Confirm-Location";

    /// <summary>
    /// Where she comes back to after confirming, when the request was a post: a post cannot be repeated by a redirect, so
    /// she returns to the page it was sent from and chooses again. A page she opened comes back to itself.
    /// </summary>
    public string? ReturnTo { get; set; }

    /// <summary>A script's request (the passkey challenge): answered 403 with <see cref="ConfirmHeader"/>, since fetch would follow a redirect unseen.</summary>
    public bool ForScript { get; set; }

    public async Task OnActionExecutionAsync(ActionExecutingContext context, ActionExecutionDelegate next)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(next);
        var http = context.HttpContext;
        if (IsRecent(http))
        {
            await next();
            return;
        }

        var request = http.Request;
        var back = HttpMethods.IsGet(request.Method) ? request.Path + request.QueryString : ReturnTo ?? AdminSetup.SecurityPath;
        var confirm = AdminSetup.ConfirmPath + "?ReturnUrl=" + Uri.EscapeDataString(back);
        if (ForScript)
        {
            http.Response.Headers[ConfirmHeader] = confirm;
            context.Result = new ContentResult { StatusCode = StatusCodes.Status403Forbidden, Content = "Confirm it is you first.", ContentType = "text/plain; charset=utf-8" };
            return;
        }

        context.Result = new RedirectResult(confirm);
    }

    /// <summary>True when this request's session had her password, a code or a passkey within Admin:ReauthenticateWithin.</summary>
    public static bool IsRecent(HttpContext http)
    {
        ArgumentNullException.ThrowIfNull(http);
        if (http.Features.Get<AdminSessionFeature>() is not { } session)
        {
            return false;
        }

        var services = http.RequestServices;
        var now = services.GetRequiredService<TimeProvider>().GetUtcNow().UtcDateTime;
        return now - session.LastProofUtc <= services.GetRequiredService<IOptions<AdminOptions>>().Value.ReauthenticateWithin;
    }
}
