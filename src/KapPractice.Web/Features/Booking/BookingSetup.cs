using KapPractice.Web.Infrastructure.Outbox;
using Microsoft.Extensions.Options;

namespace KapPractice.Web.Features.Booking;

public static class BookingSetup
{
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
        return builder;
    }
}
