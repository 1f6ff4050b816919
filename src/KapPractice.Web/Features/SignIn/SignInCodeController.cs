using System.Security.Claims;
using KapPractice.Web.Features.AdminShell;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.RateLimiting;

namespace KapPractice.Web.Features.SignIn;

/// <summary>
/// The second step after a right password: an authenticator code or a recovery code, within five minutes of the
/// password (Identity's two-factor cookie remembers who passed it).
/// </summary>
[Authorize(Policy = AdminSetup.AnySessionPolicy)]
public sealed class SignInCodeController(UserManager<IdentityUser> users, SignInSteps steps) : Controller
{
    [HttpGet(SignInSetup.CodePath)]
    [AllowAnonymous]
    public async Task<IActionResult> SignInCode([FromQuery(Name = "ReturnUrl")] string? returnUrl) =>
        await PendingUserAsync() is null
            ? Redirect(AdminSetup.SignInPath)
            : View(new SignInCodeForm { ReturnUrl = AdminSetup.LocalReturnUrl(Url, returnUrl) });

    [HttpPost(SignInSetup.CodePath)]
    [AllowAnonymous]
    [EnableRateLimiting(SignInSetup.RateLimitPolicy)]
    [RequestSizeLimit(SignInSetup.MaxSignInBytes)]
    [RequestFormLimits(ValueCountLimit = 20, KeyLengthLimit = 100, ValueLengthLimit = SignInSetup.MaxSignInBytes, MultipartBodyLengthLimit = SignInSetup.MaxSignInBytes)]
    public async Task<IActionResult> SignInCode([FromForm] SignInCodeForm form, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(form);
        var user = await PendingUserAsync();
        if (user is null)
        {
            return this.SignInAgain(new SignInForm { ReturnUrl = form.ReturnUrl }, SignInMessages.PendingExpired);
        }

        if (string.IsNullOrWhiteSpace(form.Code) || form.Code.Length > SignInSetup.CodeMaxLength)
        {
            ModelState.AddModelError(nameof(SignInCodeForm.Code), "Enter the code from your authenticator app, or a recovery code.");
            return CodeAgain(form);
        }

        var result = await steps.SecondFactorAsync(user, form.Code, SignInThrottle.ClientOf(HttpContext), HttpContext, cancellationToken);
        if (result.SignedIn)
        {
            return this.SignedIn(form.ReturnUrl);
        }

        var state = result.State;
        ModelState.AddModelError(nameof(SignInCodeForm.Code), state.ClientLocked ? SignInMessages.ClientLocked : state.CodeBrake ? SignInMessages.CodeBrake : SignInMessages.WrongCode);
        return CodeAgain(form);
    }

    private async Task<IdentityUser?> PendingUserAsync()
    {
        var pending = await HttpContext.AuthenticateAsync(IdentityConstants.TwoFactorUserIdScheme);
        return pending.Principal?.FindFirstValue(ClaimTypes.Name) is { } userId ? await users.FindByIdAsync(userId) : null;
    }

    private ViewResult CodeAgain(SignInCodeForm form)
    {
        Response.StatusCode = StatusCodes.Status400BadRequest;
        return View(nameof(SignInCode), form with { Code = null, ReturnUrl = AdminSetup.LocalReturnUrl(Url, form.ReturnUrl) });
    }
}
