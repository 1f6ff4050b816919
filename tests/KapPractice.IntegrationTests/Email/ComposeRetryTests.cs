using KapPractice.Web.Domain;
using KapPractice.Web.Features.Inquiries;
using KapPractice.Web.Infrastructure.Data;
using KapPractice.Web.Infrastructure.Outbox;
using Microsoft.Extensions.DependencyInjection;
using MimeKit;

namespace KapPractice.IntegrationTests.Email;

/// <summary>
/// A message that could not be composed for want of memory (the site's heap has a ceiling) is tried again after the
/// back-off; any other failure to compose it stays final (OutboxDispatcher).
/// </summary>
public sealed class ComposeRetryTests
{
    [Fact]
    public async Task A_notification_whose_composing_ran_out_of_memory_is_sent_on_the_next_attempt()
    {
        await using var mail = await MailHarness.StartAsync(f => f
            .WithSetting("Email:SendClientAcknowledgement", "false")
            // First in line, so the dispatcher asks it before the site's own composer of notifications.
            .WithServices(services => services.Insert(0, ServiceDescriptor.Singleton<IOutboxComposer>(
                provider => new OutOfMemoryOnce(ActivatorUtilities.CreateInstance<InquiryMessageComposer>(provider))))));
        var inquiry = await mail.Factory.SubmitAsync(ValidInquiry.Form());

        var waiting = await mail.Factory.WaitForRowAsync(inquiry.Id, OutboxKind.PractitionerNotification, r => r.Attempts == 1 && r.State == OutboxState.Pending);
        Assert.Contains(nameof(OutOfMemoryException), waiting.LastError, StringComparison.Ordinal);
        Assert.Empty(mail.Smtp.Received);

        mail.Time.Advance(TimeSpan.FromMinutes(1));

        await mail.Factory.WaitForRowAsync(inquiry.Id, OutboxKind.PractitionerNotification, r => r.State == OutboxState.Sent);
        Assert.Single(mail.Smtp.Received);
    }

    /// <summary>The site's composer, except that its first message runs out of memory.</summary>
    private sealed class OutOfMemoryOnce(IOutboxComposer inner) : IOutboxComposer
    {
        private int _thrown;

        public bool Composes(OutboxKind kind) => inner.Composes(kind);

        public Task<MimeMessage> ComposeAsync(KapDbContext db, OutboxMessage row, DateTimeOffset now, CancellationToken cancellationToken) =>
            Interlocked.Exchange(ref _thrown, 1) == 0
#pragma warning disable CA2201 // the runtime's own exception, thrown here as the runtime would throw it at the heap's ceiling
                ? throw new OutOfMemoryException()
#pragma warning restore CA2201
                : inner.ComposeAsync(db, row, now, cancellationToken);
    }
}
