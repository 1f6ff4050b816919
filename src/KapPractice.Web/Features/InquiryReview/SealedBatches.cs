using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace KapPractice.Web.Features.InquiryReview;

/// <summary>
/// Opens sealed values read one row at a time, a batch at a time on all the thread pool's cores while the next batch is
/// read, and keeps the ids whose opened values match, in the order read. A batch is dropped once opened: the values
/// never pile up (thousands held at once would outlive collections and be copied), and reading overlaps opening. All
/// cores, as an admin search is rare and over in tens of milliseconds (docs/performance.md).
/// </summary>
internal static class SealedBatches
{
    /// <summary>Rows opened together: about half a megabyte of envelopes, far below the GC's first generation. Not tuned.</summary>
    public const int Size = 500;

    /// <param name="converters">One per sealed column of a row, in its order: the model's own, so a value opens, or reads as unreadable, as on any read.</param>
    /// <param name="matches">Given a row's opened values, in the converters' order.</param>
    public static async Task<List<int>> MatchAsync(
        IAsyncEnumerable<(int Id, byte[]?[] Sealed)> rows,
        IReadOnlyList<ValueConverter> converters,
        Func<object?[], bool> matches,
        int batchSize,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(rows);
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
        var matched = new List<int>();
        var opening = Task.CompletedTask;
        try
        {
            var batch = new List<(int Id, byte[]?[] Sealed)>(batchSize);
            await foreach (var row in rows.WithCancellation(cancellationToken))
            {
                batch.Add(row);
                if (batch.Count == batchSize)
                {
                    await opening;
                    opening = OpenAsync(batch, converters, matches, matched, cancellationToken);
                    batch = new List<(int Id, byte[]?[] Sealed)>(batchSize);
                }
            }

            await opening;
            await OpenAsync(batch, converters, matches, matched, cancellationToken);
            return matched;
        }
        finally
        {
            // Never left running past the caller (its connection closed, its request over) when reading failed.
            await opening.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
    }

    /// <summary>Opens a batch on the thread pool and appends the ids that match to <paramref name="matched"/>, in order (one batch at a time appends).</summary>
    private static Task OpenAsync(
        List<(int Id, byte[]?[] Sealed)> batch, IReadOnlyList<ValueConverter> converters, Func<object?[], bool> matches, List<int> matched, CancellationToken cancellationToken) =>
        Task.Run(
            () =>
            {
                var isMatch = new bool[batch.Count];
                Parallel.For(0, batch.Count, new ParallelOptions { CancellationToken = cancellationToken }, index =>
                {
                    var opened = new object?[converters.Count];
                    for (var column = 0; column < converters.Count; column++)
                    {
                        opened[column] = converters[column].ConvertFromProvider(batch[index].Sealed[column]);
                    }

                    isMatch[index] = matches(opened);
                });
                for (var index = 0; index < batch.Count; index++)
                {
                    if (isMatch[index])
                    {
                        matched.Add(batch[index].Id);
                    }
                }
            },
            cancellationToken);
}
