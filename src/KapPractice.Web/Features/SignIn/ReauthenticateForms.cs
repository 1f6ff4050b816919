using System.ComponentModel.DataAnnotations;

namespace KapPractice.Web.Features.SignIn;

public sealed record ReauthenticateForm
{
    [Display(Name = "Password")]
    public string? Password { get; init; }

    [Display(Name = "Authenticator code")]
    public string? Code { get; init; }

    public string? ReturnUrl { get; init; }
}

/// <param name="AuthenticatorOn">The account has an authenticator app, so its code is offered beside the password.</param>
/// <param name="HasPasskeys">The account has passkeys, so one is offered too (with script).</param>
public sealed record ReauthenticatePage(ReauthenticateForm Form, bool AuthenticatorOn, bool HasPasskeys);
