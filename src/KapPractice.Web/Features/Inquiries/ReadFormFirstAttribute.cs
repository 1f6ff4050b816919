using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Filters;

namespace KapPractice.Web.Features.Inquiries;

/// <summary>
/// Reads the form before antiforgery and model binding do, so a body over the size limits becomes a
/// 413 and an unreadable one a 400 (each with its friendly page) rather than an exception.
/// </summary>
[AttributeUsage(AttributeTargets.Method | AttributeTargets.Class)]
public sealed class ReadFormFirstAttribute : Attribute, IAsyncAuthorizationFilter, IOrderedFilter
{
    // After [RequestSizeLimit] and [RequestFormLimits] (900) set the limits, before antiforgery (1000) reads the form.
    public int Order => 950;

    public async Task OnAuthorizationAsync(AuthorizationFilterContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var request = context.HttpContext.Request;
        if (!request.HasFormContentType)
        {
            return;
        }

        try
        {
            await request.ReadFormAsync(context.HttpContext.RequestAborted);
        }
        catch (BadHttpRequestException exception)
        {
            // Kestrel's own verdict: 413 for a body over the limit, 400 for a malformed one.
            context.Result = new StatusCodeResult(exception.StatusCode);
        }
        catch (InvalidDataException)
        {
            // The form reader's value length, key length or count limits were exceeded.
            context.Result = new StatusCodeResult(StatusCodes.Status413PayloadTooLarge);
        }
    }
}
