using FluentValidation;
using KapPractice.Web.Infrastructure.Outbox;
using KapPractice.Web.Infrastructure.Security;
using Microsoft.Extensions.Options;

namespace KapPractice.Web.Features.Inquiries;

public static class InquiriesSetup
{
    public const string RateLimitPolicy = "Inquiry";

    /// <summary>The inquiry form: its emails (notification and acknowledgement, through the outbox), its validators, spam check, settings, per-client limit on stored inquiries and flood guard.</summary>
    public static WebApplicationBuilder AddInquiries(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddOptions<SpamOptions>().BindConfiguration(SpamOptions.Section)
            .Validate(o => o.MinimumFillTime >= TimeSpan.Zero, "Spam:MinimumFillTime must not be negative.")
            .Validate(o => o.MaximumFillTime > o.MinimumFillTime, "Spam:MaximumFillTime must be longer than Spam:MinimumFillTime.")
            .ValidateOnStart();
        builder.Services.AddOptions<InquiryRateLimitOptions>().BindConfiguration(InquiryRateLimitOptions.Section)
            .Validate(o => o.InquiryPermitLimit > 0, "RateLimiting:InquiryPermitLimit must be at least 1.")
            .Validate(o => o.InquiryWindow > TimeSpan.Zero, "RateLimiting:InquiryWindow must be longer than zero.")
            .Validate(o => o.InquiryFloodLimit > 0, "RateLimiting:InquiryFloodLimit must be at least 1.")
            .ValidateOnStart();

        // Explicit validation only: controllers call ValidateAsync themselves.
        builder.Services.AddValidatorsFromAssemblyContaining<InquiryFormValidator>(ServiceLifetime.Singleton);
        builder.Services.AddSingleton<InquirySpamCheck>();
        builder.Services.AddScoped<FillTokenLedger>();
        builder.Services.AddSingleton<InquiryWriteGate>();
        builder.Services.AddScoped<InquirySubmissionLimiter>();
        builder.Services.AddScoped<InquiryIntake>();
        builder.Services.AddSingleton<IOutboxComposer, InquiryMessageComposer>();

        // The flood guard on every post; the limit on stored inquiries is InquirySubmissionLimiter, taken after validation.
        builder.Services.AddRateLimiter(options => options.AddPolicy(RateLimitPolicy, context =>
        {
            var limits = context.RequestServices.GetRequiredService<IOptions<InquiryRateLimitOptions>>().Value;
            return SecuritySetup.FixedWindowPerClient(context, limits.InquiryFloodLimit, limits.InquiryWindow);
        }));
        return builder;
    }
}
