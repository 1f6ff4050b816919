using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Filters;

namespace KapPractice.Web.Features.Inquiries;

/// <summary>
/// Reads the form before antiforgery and model binding do, so a body over the size limits becomes a
/// 413 and an unreadable or truncated one a 400 (each with its friendly page) rather than an exception.
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
        catch (InvalidDataException exception)
        {
            // The form readers say "... limit N exceeded." for their size and count limits; anything else (a missing boundary, a NUL) is malformed.
            context.Result = new StatusCodeResult(IsLimitExceeded(exception) ? StatusCodes.Status413PayloadTooLarge : StatusCodes.Status400BadRequest);
        }
        catch (IOException)
        {
            // A body that ends early, such as a truncated multipart section ("Unexpected end of Stream").
            context.Result = new StatusCodeResult(StatusCodes.Status400BadRequest);
        }
    }

    private static bool IsLimitExceeded(InvalidDataException exception) =>
        exception.Message.Contains(" limit ", StringComparison.OrdinalIgnoreCase)
        && exception.Message.Contains("exceeded", StringComparison.OrdinalIgnoreCase);
}
