using System.Buffers;
using System.Net;
using System.Net.Sockets;
using MimeKit;
using SmtpServer;
using SmtpServer.Protocol;
using SmtpServer.Storage;

namespace KapPractice.Tests.Support;

/// <summary>A message the server accepted: parsed, with the envelope recipients (RCPT TO), which may differ from the headers.</summary>
public sealed record ReceivedMail(MimeMessage Message, IReadOnlyList<string> EnvelopeTo)
{
    /// <summary>The message exactly as it arrived over SMTP (DATA, without the closing dot).</summary>
    public byte[] Raw { get; init; } = [];

    public string TextBody => Message.TextBody ?? "";
    public string HtmlBody => Message.HtmlBody ?? "";
}

/// <summary>
/// A real SMTP server (the SmtpServer package) on a free loopback port: records what it receives,
/// can be stopped and started again on the same port, and can refuse the next messages with a chosen reply.
/// </summary>
public sealed class SmtpTestServer : IAsyncDisposable
{
    private readonly RecordingStore _store = new();
    private CancellationTokenSource? _running;
    private Task? _serverTask;

    public SmtpTestServer()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        Port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
    }

    public int Port { get; }

    public IReadOnlyList<ReceivedMail> Received => _store.Snapshot();

    public static async Task<SmtpTestServer> StartNewAsync()
    {
        var server = new SmtpTestServer();
        await server.StartAsync();
        return server;
    }

    /// <summary>The app's settings for this server: plain SMTP on loopback, short timeouts.</summary>
    public KapPracticeFactory Configure(KapPracticeFactory factory)
    {
        ArgumentNullException.ThrowIfNull(factory);
        return factory
            .WithSetting("Email:Smtp:Host", "127.0.0.1")
            .WithSetting("Email:Smtp:Port", Port.ToString(System.Globalization.CultureInfo.InvariantCulture))
            .WithSetting("Email:Smtp:Security", "None")
            .WithSetting("Email:Smtp:Timeout", "00:00:05");
    }

    public async Task StartAsync()
    {
        if (_running is not null)
        {
            return;
        }

        var options = new SmtpServerOptionsBuilder()
            .ServerName("smtp.test")
            .Endpoint(endpoint => endpoint.Endpoint(new IPEndPoint(IPAddress.Loopback, Port)))
            .Build();
        var services = new SmtpServer.ComponentModel.ServiceProvider();
        services.Add(_store);
        var server = new SmtpServer.SmtpServer(options, services);
        _running = new CancellationTokenSource();
        _serverTask = server.StartAsync(_running.Token);
        await WaitUntilListeningAsync();
    }

    public async Task StopAsync()
    {
        if (_running is null)
        {
            return;
        }

        await _running.CancelAsync();
        try
        {
            await _serverTask!;
        }
        catch (OperationCanceledException)
        {
            // The normal end of a cancelled server.
        }

        _running.Dispose();
        _running = null;
        _serverTask = null;
    }

    /// <summary>Forgets what was received and any refusals still queued (a shared harness, between tests).</summary>
    public void Clear() => _store.Clear();

    /// <summary>The next <paramref name="count"/> messages get this reply instead of 250 (e.g. 550 or 451).</summary>
    public void RefuseNext(int count, int replyCode, string text) => _store.RefuseNext(count, (SmtpReplyCode)replyCode, text);

    /// <summary>Polls (real time, bounded) until the received mail satisfies <paramref name="condition"/>.</summary>
    public async Task<IReadOnlyList<ReceivedMail>> WaitForAsync(Func<IReadOnlyList<ReceivedMail>, bool> condition, TimeSpan? timeout = null)
    {
        ArgumentNullException.ThrowIfNull(condition);
        await Eventually.TrueAsync(() => Task.FromResult(condition(Received)), timeout, "the SMTP server to receive the expected mail");
        return Received;
    }

    public Task<IReadOnlyList<ReceivedMail>> WaitForCountAsync(int count, TimeSpan? timeout = null) =>
        WaitForAsync(received => received.Count >= count, timeout);

    public async ValueTask DisposeAsync() => await StopAsync();

    private async Task WaitUntilListeningAsync()
    {
        await Eventually.TrueAsync(async () =>
        {
            try
            {
                using var client = new TcpClient();
                await client.ConnectAsync(IPAddress.Loopback, Port);
                return true;
            }
            catch (SocketException)
            {
                return false;
            }
        }, TimeSpan.FromSeconds(10), $"the SMTP server to listen on port {Port}");
    }

    private sealed class RecordingStore : MessageStore
    {
        private readonly Lock _lock = new();
        private readonly List<ReceivedMail> _received = [];
        private int _refusals;
        private SmtpResponse? _refusal;

        public IReadOnlyList<ReceivedMail> Snapshot()
        {
            lock (_lock)
            {
                return [.. _received];
            }
        }

        public void Clear()
        {
            lock (_lock)
            {
                _received.Clear();
                _refusals = 0;
                _refusal = null;
            }
        }

        public void RefuseNext(int count, SmtpReplyCode code, string text)
        {
            lock (_lock)
            {
                _refusals = count;
                _refusal = new SmtpResponse(code, text);
            }
        }

        public override async Task<SmtpResponse> SaveAsync(
            SmtpServer.ISessionContext context, SmtpServer.IMessageTransaction transaction, ReadOnlySequence<byte> buffer, CancellationToken cancellationToken)
        {
            lock (_lock)
            {
                if (_refusals > 0)
                {
                    _refusals--;
                    return _refusal!;
                }
            }

            var raw = buffer.ToArray();
            using var stream = new MemoryStream(raw);
            var message = await MimeMessage.LoadAsync(stream, cancellationToken);
            var envelope = transaction.To.Select(m => $"{m.User}@{m.Host}").ToList();
            lock (_lock)
            {
                _received.Add(new ReceivedMail(message, envelope) { Raw = raw });
            }

            return SmtpResponse.Ok;
        }
    }
}
