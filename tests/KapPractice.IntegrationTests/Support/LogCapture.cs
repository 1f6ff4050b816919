using System.Collections.Concurrent;
using Serilog.Core;
using Serilog.Events;

namespace KapPractice.Tests.Support;

/// <summary>Receives every Serilog event the app writes (register as ILogEventSink), rendered with its properties.</summary>
public sealed class LogCapture : ILogEventSink
{
    private readonly ConcurrentQueue<LogEvent> _events = new();

    public IReadOnlyList<LogEvent> Events => [.. _events];

    /// <summary>Each event as one string: the rendered message, every property and any exception.</summary>
    public IReadOnlyList<string> Lines => [.. _events.Select(e =>
        $"{e.RenderMessage(System.Globalization.CultureInfo.InvariantCulture)} | {string.Join(" ", e.Properties.Select(p => $"{p.Key}={p.Value}"))} | {e.Exception}")];

    public void Emit(LogEvent logEvent) => _events.Enqueue(logEvent);

    /// <summary>Forgets every event so far (a shared harness, between tests).</summary>
    public void Clear() => _events.Clear();
}

/// <summary>
/// Each host logs through its own Serilog logger (LoggingSetup), so a sink sees only its own app; tests
/// that read logs still run alone, so that a leak from any background work of theirs cannot be missed.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class CapturedLogs
{
    public const string Name = "Reads captured logs";
}
