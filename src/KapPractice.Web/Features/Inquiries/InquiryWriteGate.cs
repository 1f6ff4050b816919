namespace KapPractice.Web.Features.Inquiries;

/// <summary>
/// Lets one inquiry write at a time (<see cref="InquiryIntake"/>, with the submission limiter's permit in the same
/// transaction): SQLite has a single writer, and a connection that finds it busy sleeps and retries, so queuing here is
/// fairer and quicker than many connections retrying on SQLITE_BUSY, and the once-a-day acknowledgement check cannot race
/// itself. Each POST passes the gate once. The gate does not let a caller in twice, so a write nested inside another
/// would wait for itself and stop every inquiry behind it.
/// </summary>
public sealed class InquiryWriteGate : IDisposable
{
    private readonly SemaphoreSlim _semaphore = new(1, 1);

    /// <summary>Runs <paramref name="write"/> in its turn. The wait cannot be given up: a validated inquiry is stored even if its client has gone (<see cref="InquiryIntake.TryStoreAsync"/>).</summary>
    public async Task<T> RunAsync<T>(Func<Task<T>> write)
    {
        ArgumentNullException.ThrowIfNull(write);
        await _semaphore.WaitAsync();
        try
        {
            return await write();
        }
        finally
        {
            _semaphore.Release();
        }
    }

    public void Dispose() => _semaphore.Dispose();
}
