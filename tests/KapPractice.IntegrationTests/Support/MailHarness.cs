using KapPractice.Web.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Serilog.Core;

namespace KapPractice.Tests.Support;

/// <summary>The app wired to an in-process SMTP server, with a fake clock and captured logs.</summary>
public sealed class MailHarness : IAsyncDisposable
{
    public const string PracticeAddress = "practice@kap.test";
    public const string FromAddress = "no-reply@kap.test";

    private MailHarness(KapPracticeFactory factory, SmtpTestServer smtp, DateTimeOffset? startTime)
    {
        Factory = factory;
        Smtp = smtp;
        Time = new(startTime ?? new DateTimeOffset(2026, 3, 2, 9, 0, 0, TimeSpan.Zero));
    }

    public FakeTimeProvider Time { get; }
    public LogCapture Logs { get; } = new();
    public KapPracticeFactory Factory { get; }
    public SmtpTestServer Smtp { get; }

    /// <summary>Starts the SMTP server (unless <paramref name="smtpRunning"/> is false) and the app pointed at it.</summary>
    /// <param name="startTime">Where the fake clock starts; a clock moved far ahead later would run every missed tick of the app's timers.</param>
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

    public async ValueTask DisposeAsync()
    {
        await Factory.DisposeAsync();
        await Smtp.DisposeAsync();
    }
}
