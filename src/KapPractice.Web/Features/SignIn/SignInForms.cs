using System.ComponentModel.DataAnnotations;

namespace KapPractice.Web.Features.SignIn;

public sealed record SignInForm
{
    [Display(Name = "Email")]
    public string? Email { get; init; }

    [Display(Name = "Password")]
    public string? Password { get; init; }

    /// <summary>Optional, always offered: needed on this form only while the account-wide brake is on (the page never says when).</summary>
    [Display(Name = "Authenticator code or recovery code")]
    public string? Code { get; init; }

    public string? ReturnUrl { get; init; }
}

/// <param name="CodeError">The message is about the code typed on the form, so the error summary leads to that field.</param>
public sealed record SignInPage(SignInForm Form, bool CodeError = false);

public sealed record SignInCodeForm
{
    [Display(Name = "Authenticator code or recovery code")]
    public string? Code { get; init; }

    public string? ReturnUrl { get; init; }
}

public sealed record PasskeySignInForm
{
    public string? CredentialJson { get; init; }

    public string? ReturnUrl { get; init; }
}
