using FluentValidation;
using KapPractice.Web.Domain;
using KapPractice.Web.Features.Inquiries;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace KapPractice.Tests.Support;

/// <summary>
/// Inquiries stored the one way the app stores them (<see cref="InquiryIntake"/>), and their outbox rows.
/// An inquiry in a later state gets there through the admin area's own actions.
/// </summary>
public static class StoredInquiries
{
    /// <summary>
    /// What the form post does once a person has filled the form in: a fill-time token from the app (unless the form
    /// carries one), the app's validator (the form must pass it), then the intake. For an app whose Spam:MinimumFillTime
    /// is zero; otherwise the inquiry is stored as suspected spam, as a form sent back at once would be.
    /// </summary>
    public static async Task<Inquiry> SubmitAsync(this KapPracticeFactory factory, InquiryForm form)
    {
        ArgumentNullException.ThrowIfNull(factory);
        ArgumentNullException.ThrowIfNull(form);
        await using var scope = factory.Services.CreateAsyncScope();
        var services = scope.ServiceProvider;
        var posted = (form with { FillToken = form.FillToken ?? services.GetRequiredService<InquirySpamCheck>().IssueToken() }).Normalized();
        var validation = await services.GetRequiredService<IValidator<InquiryForm>>().ValidateAsync(posted);
        Assert.True(validation.IsValid, "The form would not pass the app's validation: " + validation);
        return await services.GetRequiredService<InquiryIntake>().StoreAsync(posted);
    }

    public static Task<List<OutboxMessage>> OutboxAsync(this KapPracticeFactory factory) =>
        factory.WithDbAsync(db => db.OutboxMessages.AsNoTracking().OrderBy(m => m.Id).ToListAsync());

    public static async Task<OutboxMessage> OutboxRowAsync(this KapPracticeFactory factory, int inquiryId, OutboxKind kind) =>
        (await factory.OutboxAsync()).Single(m => m.InquiryId == inquiryId && m.Kind == kind);

    /// <summary>Polls the database (bounded) until the inquiry's row of that kind satisfies the condition; returns it.</summary>
    public static async Task<OutboxMessage> WaitForRowAsync(this KapPracticeFactory factory, int inquiryId, OutboxKind kind, Func<OutboxMessage, bool> condition)
    {
        ArgumentNullException.ThrowIfNull(condition);
        OutboxMessage? row = null;
        await Eventually.TrueAsync(async () =>
        {
            row = (await factory.OutboxAsync()).Where(m => m.InquiryId == inquiryId && m.Kind == kind).OrderBy(m => m.Id).LastOrDefault();
            return row is not null && condition(row);
        }, what: $"the {kind} outbox row of inquiry {inquiryId} to reach the expected state");
        return row!;
    }
}
