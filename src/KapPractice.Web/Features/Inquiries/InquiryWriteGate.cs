namespace KapPractice.Web.Features.Inquiries;

/// <summary>
/// Lets one inquiry write at a time: SQLite has a single writer, so queuing here is fairer than many
/// connections retrying on SQLITE_BUSY, and the once-a-day acknowledgement check cannot race itself.
/// </summary>
public sealed class InquiryWriteGate : IDisposable
{
    private readonly SemaphoreSlim _semaphore = new(1, 1);

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
