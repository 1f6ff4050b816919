using FluentValidation;
using KapPractice.Web.Domain;

namespace KapPractice.Web.Features.Replies;

/// <summary>What the composer posts: the reply as she wrote it, placeholders already filled in.</summary>
public sealed record ReplyForm
{
    public string? Subject { get; init; }
    public string? Body { get; init; }

    /// <summary>A random id the composer form carries, so posting the same form twice sends once.</summary>
    public Guid? DraftId { get; init; }

    /// <summary>Ticked to email a client who asked to be phoned.</summary>
    public bool EmailDespitePhone { get; init; }

    public const string EmailDespitePhoneLabel = "Send by email anyway";

    public const string PrefersPhoneProblem = "The client asked to be contacted by phone. Call them, or tick “" + EmailDespitePhoneLabel + "” to send this by email.";

    public ReplyForm Normalized() => this with { Subject = ReplyEmail.OneLine(Subject ?? string.Empty), Body = Body?.ReplaceLineEndings("\n").TrimEnd() };
}

public sealed class ReplyFormValidator : AbstractValidator<ReplyForm>
{
    public ReplyFormValidator()
    {
        RuleFor(f => f.Subject).NotEmpty().WithMessage("Enter a subject.")
            .MaximumLength(TextLimits.ReplySubject).WithMessage(f => TooLong("The subject", TextLimits.ReplySubject, f.Subject));
        RuleFor(f => f.Body).NotEmpty().WithMessage("Enter the reply.")
            .MaximumLength(TextLimits.ReplyBody).WithMessage(f => TooLong("The reply", TextLimits.ReplyBody, f.Body));
    }

    internal static string TooLong(string what, int limit, string? value) => $"{what} can be at most {limit:N0} characters; this one has {value?.Length ?? 0:N0}.";
}

/// <summary>A template as the templates page posts it.</summary>
public sealed record ReplyTemplateForm
{
    public string? Name { get; init; }
    public string? Subject { get; init; }
    public string? Body { get; init; }

    public ReplyTemplateForm Normalized() => this with { Name = Name?.Trim(), Subject = Subject is null ? null : ReplyEmail.OneLine(Subject), Body = Body?.ReplaceLineEndings("\n").TrimEnd() };

    public static ReplyTemplateForm From(ReplyTemplate template)
    {
        ArgumentNullException.ThrowIfNull(template);
        return new() { Name = template.Name, Subject = template.Subject, Body = template.Body };
    }
}

public sealed class ReplyTemplateFormValidator : AbstractValidator<ReplyTemplateForm>
{
    public ReplyTemplateFormValidator()
    {
        RuleFor(f => f.Name).NotEmpty().WithMessage("Enter a name for the template.")
            .MaximumLength(TextLimits.TemplateName).WithMessage(f => ReplyFormValidator.TooLong("The name", TextLimits.TemplateName, f.Name));
        RuleFor(f => f.Subject).NotEmpty().WithMessage("Enter a subject.")
            .MaximumLength(TextLimits.ReplySubject).WithMessage(f => ReplyFormValidator.TooLong("The subject", TextLimits.ReplySubject, f.Subject))
            .Must(s => ReplyPlaceholders.Unknown(s, ReplyPlaceholders.AllowedInSubject).Count == 0)
            .WithMessage(f => $"The subject can only use {string.Join(" and ", ReplyPlaceholders.AllowedInSubject)} (it shows on lock screens, so never a name); remove {string.Join(", ", ReplyPlaceholders.Unknown(f.Subject, ReplyPlaceholders.AllowedInSubject))}.");
        RuleFor(f => f.Body).NotEmpty().WithMessage("Enter the text of the template.")
            .MaximumLength(TextLimits.ReplyBody).WithMessage(f => ReplyFormValidator.TooLong("The text", TextLimits.ReplyBody, f.Body))
            .Must(b => ReplyPlaceholders.Unknown(b, ReplyPlaceholders.All).Count == 0)
            .WithMessage(f => $"Unknown placeholder {string.Join(", ", ReplyPlaceholders.Unknown(f.Body, ReplyPlaceholders.All))}: use only {string.Join(", ", ReplyPlaceholders.All)}.");
    }
}

/// <summary>A referral as the referrals page posts it.</summary>
public sealed record ReferralForm
{
    public string? Name { get; init; }
    public string? Purpose { get; init; }
    public string? Contact { get; init; }

    public ReferralForm Normalized() => this with { Name = OneLine(Name), Purpose = OneLine(Purpose), Contact = OneLine(Contact) };

    public static ReferralForm From(Referral referral)
    {
        ArgumentNullException.ThrowIfNull(referral);
        return new() { Name = referral.Name, Purpose = referral.Purpose, Contact = referral.Contact };
    }

    private static string? OneLine(string? value) => value?.ReplaceLineEndings(" ").Trim();
}

public sealed class ReferralFormValidator : AbstractValidator<ReferralForm>
{
    public ReferralFormValidator()
    {
        RuleFor(f => f.Name).NotEmpty().WithMessage("Enter the name of the person or service.")
            .MaximumLength(TextLimits.ReferralName).WithMessage(f => ReplyFormValidator.TooLong("The name", TextLimits.ReferralName, f.Name));
        RuleFor(f => f.Purpose).NotEmpty().WithMessage("Enter what they help with.")
            .MaximumLength(TextLimits.ReferralPurpose).WithMessage(f => ReplyFormValidator.TooLong("What for", TextLimits.ReferralPurpose, f.Purpose));
        RuleFor(f => f.Contact).NotEmpty().WithMessage("Enter how to reach them.")
            .MaximumLength(TextLimits.ReferralContact).WithMessage(f => ReplyFormValidator.TooLong("How to reach", TextLimits.ReferralContact, f.Contact));
    }
}
