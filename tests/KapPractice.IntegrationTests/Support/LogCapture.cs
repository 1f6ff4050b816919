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
}

/// <summary>
/// Serilog's AddSerilog routes every host's events through the static Log.Logger, so hosts running in
/// parallel would capture each other's logs: tests that read logs run alone, in this collection.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class CapturedLogs
{
    public const string Name = "Reads captured logs";
}
