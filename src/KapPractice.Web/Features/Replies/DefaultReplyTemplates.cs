using KapPractice.Web.Domain;
using KapPractice.Web.Infrastructure;
using KapPractice.Web.Infrastructure.Data;
using Microsoft.EntityFrameworkCore;

namespace KapPractice.Web.Features.Replies;

/// <summary>
/// The four templates a new site starts with. Put in place once, on the first start with replies (recorded in
/// DataSeeds), so a template she deleted or changed stays that way.
/// </summary>
public static class DefaultReplyTemplates
{
    public const string SeedName = "reply-templates";

    public static IReadOnlyList<(string Name, string Subject, string Body)> All { get; } =
    [
        ("Let's talk", "Next steps after your inquiry",
            $"""
            Dear {ReplyPlaceholders.FirstName},

            Thank you for reaching out, and for taking the time to answer the questions so carefully. I know that getting in touch is not always an easy step.

            I have read your inquiry and I would be glad to talk with you. A short consultation call is a chance for you to ask questions, for me to hear a little more about what you are looking for, and for us to see together whether ketamine-assisted psychotherapy with me is a good fit.

            To find a time, reply to this email with a few days and times that suit you.
            You can also choose a time here: {ReplyPlaceholders.BookingLink}

            I look forward to speaking with you.

            Warm regards,
            {ReplyPlaceholders.PracticeName}
            """),
        ("More information needed", "A few questions about your inquiry",
            $"""
            Dear {ReplyPlaceholders.FirstName},

            Thank you for your inquiry. I have read it carefully, and before I can suggest the right next step I would like to understand a little more.

            Could you tell me a bit more about what you would like help with, and whether you are currently seeing a therapist, psychiatrist or other prescriber? If you take any medications, a list would also help, since some of them affect whether ketamine is safe for you.

            You can simply reply to this email. There is no wrong answer, and you do not need to have everything figured out.

            Warm regards,
            {ReplyPlaceholders.PracticeName}
            """),
        ("Not a fit right now", "About your inquiry",
            $"""
            Dear {ReplyPlaceholders.FirstName},

            Thank you for reaching out and for sharing what you are going through. I have read your inquiry carefully, and I do not think ketamine-assisted psychotherapy with me is the right fit for you at this time. This is not a judgment about you or about how much you deserve support; it is about making sure the care you receive is safe and suited to you.

            These people and services may be able to help:
            {ReplyPlaceholders.Referrals}

            If your situation changes, you are always welcome to get in touch again, at {ReplyPlaceholders.ContactEmail}.

            With warm wishes,
            {ReplyPlaceholders.PracticeName}
            """),
        ("Following up on your urgent answer", "Checking in after your inquiry",
            $"""
            Dear {ReplyPlaceholders.FirstName},

            Thank you for your inquiry. In your answers you said that you are having thoughts of harming yourself or ending your life, and I want to check in with you before anything else.

            If you are in danger right now, please do not wait for me. You can {CrisisLines.Text}. These services are free and confidential, and someone is there 24 hours a day.

            I would like to talk with you soon. Could you reply to let me know how you are doing, and the best number and time to reach you?

            Email is not a way to reach me in an emergency, and I may not see messages right away, so please use the numbers above whenever you need them.

            With care,
            {ReplyPlaceholders.PracticeName}
            """),
    ];

    /// <summary>Adds the defaults unless they were added before (whatever became of them since); one SaveChanges.</summary>
    public static async Task SeedAsync(KapDbContext db, DateTime nowUtc, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        if (await db.DataSeeds.AnyAsync(s => s.Name == SeedName, cancellationToken))
        {
            return;
        }

        foreach (var (name, subject, body) in All)
        {
            db.ReplyTemplates.Add(new ReplyTemplate { Name = name, Subject = subject, Body = body.ReplaceLineEndings("\n"), ChangedUtc = nowUtc });
        }

        db.DataSeeds.Add(new DataSeed { Name = SeedName, SeededUtc = nowUtc });
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException exception) when (exception.IsUniqueViolation())
        {
            // Another instance starting at the same moment seeded them first (the seed's name is the key): its
            // templates stand, and this SaveChanges added none.
            db.ChangeTracker.Clear();
        }
    }
}

/// <summary>Seeds the default templates when the app starts (after the database is migrated).</summary>
public sealed class DefaultReplyTemplatesSeeder(IServiceScopeFactory scopes, TimeProvider time) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        await DefaultReplyTemplates.SeedAsync(scope.ServiceProvider.GetRequiredService<KapDbContext>(), time.GetUtcNow().UtcDateTime, cancellationToken);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
