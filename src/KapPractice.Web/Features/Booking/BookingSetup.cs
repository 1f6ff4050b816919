using KapPractice.Web.Infrastructure.Outbox;
using KapPractice.Web.Infrastructure.Security;
using Microsoft.Extensions.Options;

namespace KapPractice.Web.Features.Booking;

public static class BookingSetup
{
    /// <summary>Every booking page and the feed, per client address: a link or a feed secret is not to be guessed at speed.</summary>
    public const string RateLimitPolicy = "booking";

    /// <summary>Consultation booking: its settings (checked at start-up), links, slots, emails, reminders and the calendar feed.</summary>
    public static WebApplicationBuilder AddBooking(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var services = builder.Services;
        services.AddOptions<BookingOptions>().BindConfiguration(BookingOptions.Section).ValidateOnStart();
        services.AddSingleton<IValidateOptions<BookingOptions>, BookingOptionsValidation>();
        services.AddHttpContextAccessor();
        services.AddScoped<BookingSchedule>();
        services.AddScoped<BookingLinks>();
        services.AddScoped<IBookingLinks>(s => s.GetRequiredService<BookingLinks>());
        services.AddScoped<BookingService>();
        services.AddScoped<BookingReminders>();
        services.AddSingleton<IOutboxComposer, BookingMessageComposer>();
        services.AddHostedService<BookingReminderService>();
        services.AddRateLimiter(options => options.AddPolicy(RateLimitPolicy, context =>
        {
            var limits = context.RequestServices.GetRequiredService<IOptions<BookingOptions>>().Value;
            return SecuritySetup.FixedWindowPerClient(context, limits.RequestLimit, limits.RequestWindow);
        }));
        return builder;
    }
}
