using FluentValidation;
using FluentValidation.AspNetCore;
using KapPractice.Web.Domain;
using KapPractice.Web.Infrastructure.Performance;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.RateLimiting;

namespace KapPractice.Web.Features.Inquiries;

/// <summary>The inquiry and eligibility form: show, validate, store through <see cref="InquiryIntake"/>, then redirect to a neutral confirmation.</summary>
[Route("inquiry")]
public sealed class InquiriesController(
    IValidator<InquiryForm> validator,
    InquirySpamCheck spamCheck,
    InquirySubmissionLimiter submissionLimiter,
    InquiryIntake intake) : Controller
{
    /// <summary>
    /// Room for every answer well past its limit (so a long message gets a validation message, not an
    /// error page), yet far below anything that could hurt.
    /// </summary>
    public const int MaxRequestBytes = 128 * 1024;

    private const string UrgentKey = "Inquiry.Urgent";

    public const string TooManyInquiriesMessage =
        "You have sent several inquiries in the last few minutes. Please wait a few minutes, then send this one again.";

    [HttpGet("")]
    [CompressedPage] // the tokens in it are encrypted afresh for every response; the answers are never on this GET
    public IActionResult Form() => View("Form", new InquiryForm { FillToken = spamCheck.IssueToken() });

    [HttpPost("")]
    [EnableRateLimiting(InquiriesSetup.RateLimitPolicy)]
    [RequestSizeLimit(MaxRequestBytes)]
    [RequestFormLimits(ValueCountLimit = 200, KeyLengthLimit = 100, ValueLengthLimit = MaxRequestBytes)]
    [ReadFormFirst]
    public async Task<IActionResult> Submit(InquiryForm form, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(form);
        // Values the binder could not read (an unknown option, a broken number) become our own plain messages.
        var unreadable = ModelState.Where(entry => entry.Value?.Errors.Count > 0).Select(entry => PropertyOf(entry.Key)).ToHashSet();
        ModelState.Clear();

        form = form.Normalized();
        var result = await validator.ValidateAsync(form, cancellationToken);
        result.AddToModelState(ModelState);
        foreach (var field in unreadable.Where(f => InquiryForm.FieldOrder.Contains(f) && ModelState.GetFieldValidationState(f) != Microsoft.AspNetCore.Mvc.ModelBinding.ModelValidationState.Invalid))
        {
            ModelState.AddModelError(field, "Select from the options listed");
        }

        if (!ModelState.IsValid)
        {
            return View("Form", form);
        }

        // Only inquiries that are stored count against the limit, the permit taken in the store's transaction; refused,
        // the answers come back so nothing is lost.
        var inquiry = await intake.TryStoreAsync(form, () => submissionLimiter.TryTakePermitAsync(HttpContext));
        if (inquiry is null)
        {
            ModelState.AddModelError(string.Empty, TooManyInquiriesMessage);
            var page = View("Form", form);
            page.StatusCode = StatusCodes.Status429TooManyRequests;
            return page;
        }

        // Self-harm thoughts are shown crisis resources first, whatever the spam check thought.
        if (inquiry.SelfHarmThoughts == YesNo.Yes)
        {
            TempData[UrgentKey] = true;
        }

        Response.Headers.Location = Url.Action(nameof(ThankYou));
        return StatusCode(StatusCodes.Status303SeeOther);
    }

    [HttpGet("thank-you")]
    public IActionResult ThankYou() => View("ThankYou", new ThankYouPage(Urgent: TempData[UrgentKey] is true));

    private static string PropertyOf(string key)
    {
        var end = key.IndexOfAny(['[', '.']);
        return end < 0 ? key : key[..end];
    }
}

/// <summary>What the confirmation page needs: whether to lead with crisis resources.</summary>
public sealed record ThankYouPage(bool Urgent);
