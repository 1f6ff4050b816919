using KapPractice.Web.Domain;
using KapPractice.Web.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Serilog.Core;

namespace KapPractice.Tests.Support;

/// <summary>The app wired to an in-process SMTP server, with a fake clock and captured logs.</summary>
public sealed class MailHarness : IAsyncDisposable
{
    public const string PracticeAddress = "practice@kap.test";
    public const string FromAddress = "no-reply@kap.test";

    private readonly DateTimeOffset _startTime;
    private bool _shared;

    private MailHarness(KapPracticeFactory factory, SmtpTestServer smtp, DateTimeOffset? startTime)
    {
        Factory = factory;
        Smtp = smtp;
        _startTime = startTime ?? new DateTimeOffset(2026, 3, 2, 9, 0, 0, TimeSpan.Zero);
        Time = new(_startTime);
    }

    public FakeTimeProvider Time { get; }
    public LogCapture Logs { get; } = new();
    public KapPracticeFactory Factory { get; }
    public SmtpTestServer Smtp { get; }

    /// <summary>Starts the SMTP server (unless <paramref name="smtpRunning"/> is false) and the app pointed at it.</summary>
    /// <param name="startTime">Where the fake clock starts.</param>
    public static async Task<MailHarness> StartAsync(Action<KapPracticeFactory>? configure = null, bool smtpRunning = true, DateTimeOffset? startTime = null, DatabaseProvider provider = DatabaseProvider.Sqlite)
    {
        var smtp = new SmtpTestServer();
        if (smtpRunning)
        {
            await smtp.StartAsync();
        }

        var harness = new MailHarness(new KapPracticeFactory { Provider = provider }, smtp, startTime);
        smtp.Configure(harness.Factory)
            .WithSetting("Practice:ContactEmail", PracticeAddress)
            .WithSetting("Practice:SiteUrl", "https://kap.test/")
            .WithSetting("Email:From", FromAddress)
            // The fake clock stands still between showing the form and sending it.
            .WithSetting("Spam:MinimumFillTime", "00:00:00")
            .WithServices(services =>
            {
                services.AddSingleton<TimeProvider>(harness.Time);
                services.AddSingleton<ILogEventSink>(harness.Logs);
            });
        configure?.Invoke(harness.Factory);
        _ = harness.Factory.Services; // starts the host, and with it the dispatcher
        return harness;
    }

    public IReadOnlyList<ReceivedMail> To(string address) =>
        [.. Smtp.Received.Where(m => m.EnvelopeTo.Contains(address, StringComparer.OrdinalIgnoreCase))];

    /// <summary>
    /// A harness several tests use one after another (<see cref="SharedMailHarness"/>): its clock never moves, so the app's
    /// timers stand where a new app's would, and limits no test on it reaches (each test signs in and submits from the same address).
    /// </summary>
    internal static async Task<MailHarness> StartSharedAsync(Action<KapPracticeFactory>? configure, DatabaseProvider provider, DateTimeOffset? startTime)
    {
        var harness = await StartAsync(f =>
        {
            f.WithSetting("Admin:SignInPermitLimit", "1000")
                .WithSetting("RateLimiting:InquiryPermitLimit", "100000")
                .WithSetting("RateLimiting:InquiryFloodLimit", "100000");
            configure?.Invoke(f);
        }, startTime: startTime, provider: provider);
        harness._shared = true;
        await harness.Factory.ResetAsync(); // the snapshot every test starts from
        return harness;
    }

    /// <summary>
    /// Readies a shared harness for the next test, as a new one would be: the last test's mail work finished, the database as
    /// the app had it just after starting, no mail received, no refusals queued, the SMTP server running or not, no logs.
    /// </summary>
    internal async Task<MailHarness> ResetForNextTestAsync(bool smtpRunning)
    {
        // Nothing may still be on its way from the last test when its rows go: a send in progress or due (the clock stands still,
        // so a retry scheduled later never falls due).
        await Eventually.TrueAsync(
            () => Factory.WithDbAsync(db => db.OutboxMessages.AllAsync(m => m.State == OutboxState.Sent || m.State == OutboxState.Failed
                || (m.State == OutboxState.Pending && m.NextAttemptUtc > _startTime.UtcDateTime))),
            what: "the last test's mail to be sent or given up");
        await Factory.ResetAsync();
        Smtp.Clear();
        if (smtpRunning)
        {
            await Smtp.StartAsync();
        }
        else
        {
            await Smtp.StopAsync();
        }

        Logs.Clear();
        return this;
    }

    /// <summary>Ends a test's use of a shared harness (which the collection stops later), or stops this harness's app and SMTP server.</summary>
    public async ValueTask DisposeAsync()
    {
        if (_shared)
        {
            if (Time.GetUtcNow() != _startTime)
            {
                throw new InvalidOperationException(
                    $"A test on a shared mail harness moved its clock (to {Time.GetUtcNow():O}); the app's timers would not stand where a new app's do. Give it a harness of its own (MailHarness.StartAsync).");
            }

            return;
        }

        await StopAsync();
    }

    internal async Task StopAsync()
    {
        await Factory.DisposeAsync();
        await Smtp.DisposeAsync();
    }
}

/// <summary>
/// One <see cref="MailHarness"/> for the tests of a collection, which run one after another: each test's <see cref="StartAsync"/>
/// resets it (database, received mail, refusals, logs). Only for tests that leave the clock where it started (checked when the
/// test disposes the harness) and read no limits; a test that needs other settings, a moved clock or a restart starts its own.
/// </summary>
public abstract class SharedMailHarness(Action<KapPracticeFactory>? configure, DatabaseProvider provider, DateTimeOffset? startTime = null) : IAsyncLifetime
{
    private MailHarness? _harness;

    public async Task InitializeAsync() => _harness = await MailHarness.StartSharedAsync(configure, provider, startTime);

    /// <summary>The shared harness, reset for this test, with the SMTP server running unless <paramref name="smtpRunning"/> is false.</summary>
    public Task<MailHarness> StartAsync(bool smtpRunning = true) => _harness!.ResetForNextTestAsync(smtpRunning);

    public async Task DisposeAsync()
    {
        if (_harness is not null)
        {
            await _harness.StopAsync();
        }
    }
}

/// <summary>The default mail harness on SQLite (client acknowledgements on).</summary>
public sealed class SharedMail() : SharedMailHarness(null, DatabaseProvider.Sqlite);

/// <summary>The mail harness without client acknowledgements (Email:SendClientAcknowledgement off), on SQLite.</summary>
public sealed class SharedMailWithoutAcknowledgement() : SharedMailHarness(f => f.WithSetting("Email:SendClientAcknowledgement", "false"), DatabaseProvider.Sqlite);

/// <summary>The mail harness without client acknowledgements, on PostgreSQL.</summary>
public sealed class SharedMailWithoutAcknowledgementOnPostgreSql() : SharedMailHarness(f => f.WithSetting("Email:SendClientAcknowledgement", "false"), DatabaseProvider.PostgreSql);
