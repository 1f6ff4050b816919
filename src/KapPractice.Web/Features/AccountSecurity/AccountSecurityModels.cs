using System.ComponentModel.DataAnnotations;
using KapPractice.Web.Domain;
using KapPractice.Web.Features.SignIn;

namespace KapPractice.Web.Features.AccountSecurity;

public sealed record PasskeyRow(string Id, string Name, DateTimeOffset Added);

public sealed record SecurityPage(
    bool EnrolmentOnly,
    bool RequireTwoFactor,
    bool AuthenticatorOn,
    int RecoveryCodesLeft,
    IReadOnlyList<PasskeyRow> Passkeys,
    IReadOnlyList<AdminSession> Sessions,
    string? CurrentSessionId)
{
    public bool FewRecoveryCodesLeft => AuthenticatorOn && RecoveryCodesLeft <= Authenticator.FewRecoveryCodes;
}

/// <param name="Replacing">An authenticator is already set up: confirming moves the account to the new one.</param>
public sealed record AuthenticatorPage(AuthenticatorSetup Setup, bool Replacing, bool EnrolmentOnly);

/// <param name="Enrolled">Shown right after the authenticator was set up (rather than after asking for new codes).</param>
public sealed record RecoveryCodesPage(IReadOnlyList<string> Codes, bool Enrolled);

public sealed record ChangePasswordForm
{
    [Display(Name = "Current password")]
    public string? CurrentPassword { get; init; }

    [Display(Name = "New password")]
    public string? NewPassword { get; init; }

    [Display(Name = "New password again")]
    public string? ConfirmPassword { get; init; }
}
