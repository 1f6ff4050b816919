using System.Text;
using KapPractice.Web.Features.InquiryReview;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace KapPractice.UnitTests.Features.InquiryReview;

/// <summary>The admin search's opening in batches: the matches kept in the order read, whatever the batch size; nothing left running after a failed read.</summary>
public sealed class SealedBatchesTests
{
    private static readonly ValueConverter[] Utf8 = [new ValueConverter<string, byte[]>(text => Encoding.UTF8.GetBytes(text), bytes => Encoding.UTF8.GetString(bytes))];

    [Theory]
    [InlineData(1)]
    [InlineData(3)] // rows end mid-batch
    [InlineData(5)] // rows end on a whole batch
    [InlineData(500)]
    public async Task Matches_come_back_in_the_order_read_across_batches(int batchSize)
    {
        var ids = await SealedBatches.MatchAsync(Rows(20), Utf8, opened => ((string)opened[0]!).EndsWith('7') || ((string)opened[0]!).EndsWith('0'), batchSize, CancellationToken.None);

        Assert.Equal([20, 17, 10, 7], ids);
    }

    [Fact]
    public async Task A_failed_read_is_reported_after_the_batch_being_opened_has_finished()
    {
        var opened = new OpenCount();
        var converter = new ValueConverter<string, byte[]>(text => Encoding.UTF8.GetBytes(text), bytes => opened.Open(bytes));

        var failure = await Assert.ThrowsAsync<IOException>(() => SealedBatches.MatchAsync(FailingAfter(Rows(6), 4), [converter], _ => true, 2, CancellationToken.None));

        Assert.Equal("the disk went away", failure.Message);
        Assert.Equal(4, opened.Count); // the two whole batches read before the failure, none left running
    }

    /// <summary>Rows numbered from <paramref name="count"/> down to 1 (the list's newest first), each "sealed" as "rowN".</summary>
    private static async IAsyncEnumerable<(int Id, byte[]?[] Sealed)> Rows(int count)
    {
        for (var id = count; id >= 1; id--)
        {
            await Task.Yield();
            yield return (id, [Encoding.UTF8.GetBytes($"row{id}")]);
        }
    }

    private static async IAsyncEnumerable<(int Id, byte[]?[] Sealed)> FailingAfter(IAsyncEnumerable<(int Id, byte[]?[] Sealed)> rows, int count)
    {
        var given = 0;
        await foreach (var row in rows)
        {
            if (given++ == count)
            {
                throw new IOException("the disk went away");
            }

            yield return row;
        }
    }

    /// <summary>Opens slowly, so a batch still being opened when the read fails would be seen unfinished.</summary>
    private sealed class OpenCount
    {
        private int _count;

        public int Count => Volatile.Read(ref _count);

        public string Open(byte[] bytes)
        {
            Thread.Sleep(50);
            Interlocked.Increment(ref _count);
            return Encoding.UTF8.GetString(bytes);
        }
    }
}
