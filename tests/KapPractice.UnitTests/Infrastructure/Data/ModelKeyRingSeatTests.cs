using KapPractice.Web.Domain;
using KapPractice.Web.Infrastructure.Data;
using KapPractice.Web.Infrastructure.Data.Encryption;
using Microsoft.EntityFrameworkCore;

namespace KapPractice.UnitTests.Infrastructure.Data;

/// <summary>
/// The seats' pool is the whole process's, and these tests check which seat a new ring is given: they run alone, so no
/// other test takes a seat one of them put back or puts one back on top of it.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ModelKeyRingSeatsAlone
{
    public const string Name = "Model key ring seats";
}

[Collection(ModelKeyRingSeatsAlone.Name)]
public sealed class ModelKeyRingSeatTests : IDisposable
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "kappractice-unit", Guid.NewGuid().ToString("N"));

    // No connection is opened by these tests; the context itself asks for its model to be cached per seat.
    private static readonly DbContextOptions<KapDbContext> Options = new DbContextOptionsBuilder<KapDbContext>()
        .UseSqlite("Data Source=:memory:")
        .Options;

    // A key folder of its own for each ring: each has a key of its own.
    private DataKeyRing NewRing()
    {
        var ring = TestKeyRings.Load(_folder, Path.Combine(_folder, Guid.NewGuid().ToString("N")));
        ring.CreateKey(DateTime.UtcNow);
        return ring;
    }

    private static byte[] SealName(Microsoft.EntityFrameworkCore.Metadata.IModel model, string name) =>
        (byte[])model.FindEntityType(typeof(Inquiry))!.FindProperty(nameof(Inquiry.FullName))!.GetValueConverter()!.ConvertToProvider(name)!;

    [Fact]
    public async Task A_seat_keeps_its_ring_while_a_context_of_it_is_open_and_then_serves_the_next_ring_with_the_same_model()
    {
        var first = NewRing();
        var firstContext = new KapDbContext(Options, first);
        var seat = firstContext.ModelSeat;
        var model = firstContext.Model;
        Assert.Equal(first.Current.Id, DataKeyRing.KeyIdOf(SealName(model, "Rowan")));

        // The app stops while a context is still open: the context goes on sealing with its own ring.
        first.Dispose();
        Assert.Same(first, seat.Ring);
        Assert.Equal(first.Current.Id, DataKeyRing.KeyIdOf(SealName(model, "Rowan")));
        var meanwhile = NewRing();
        await using (var other = new KapDbContext(Options, meanwhile))
        {
            Assert.NotSame(seat, other.ModelSeat);
            Assert.NotSame(model, other.Model);
            Assert.Equal(meanwhile.Current.Id, DataKeyRing.KeyIdOf(SealName(other.Model, "Rowan")));
        }

        // Its last context closed, the seat holds no ring until the next one takes it, model and all.
        await firstContext.DisposeAsync();
        Assert.Throws<InvalidOperationException>(() => seat.Ring);
        var second = NewRing();
        await using var secondContext = new KapDbContext(Options, second);
        Assert.Same(seat, secondContext.ModelSeat);
        Assert.Same(model, secondContext.Model);
        var envelope = SealName(secondContext.Model, "Rowan");
        Assert.Equal(second.Current.Id, DataKeyRing.KeyIdOf(envelope));
        Assert.NotEqual(first.Current.Id, second.Current.Id);
        meanwhile.Dispose();
        second.Dispose();
    }

    [Fact]
    public async Task A_ring_still_in_use_keeps_its_seat_between_contexts()
    {
        // The site between two requests: every context disposed, the ring not.
        var ring = NewRing();
        ModelKeyRingSeat seat;
        await using (var context = new KapDbContext(Options, ring))
        {
            seat = context.ModelSeat;
        }

        var other = NewRing();
        await using (var otherContext = new KapDbContext(Options, other))
        {
            Assert.NotSame(seat, otherContext.ModelSeat);
        }

        Assert.Same(ring, seat.Ring);
        await using (var next = new KapDbContext(Options, ring))
        {
            Assert.Same(seat, next.ModelSeat);
        }

        other.Dispose();
        ring.Dispose();
    }

    [Fact]
    public async Task A_context_disposed_twice_counts_once_so_the_seat_stays_with_a_context_still_open()
    {
        // As the PostgreSQL context is: registered under two types, disposed by its scope twice.
        var ring = NewRing();
        var twice = new KapDbContext(Options, ring);
        var open = new KapDbContext(Options, ring);
        var seat = open.ModelSeat;
        twice.Dispose();
        await twice.DisposeAsync();
        ring.Dispose();

        Assert.Same(ring, seat.Ring);
        Assert.Equal(ring.Current.Id, DataKeyRing.KeyIdOf(SealName(open.Model, "Rowan")));
        open.Dispose();
        Assert.Throws<InvalidOperationException>(() => seat.Ring);
    }

    [Fact]
    public void No_context_opens_on_a_ring_that_was_disposed()
    {
        var ring = NewRing();
        ring.Dispose();

        Assert.Throws<ObjectDisposedException>(() => new KapDbContext(Options, ring));
    }

    public void Dispose()
    {
        if (Directory.Exists(_folder))
        {
            Directory.Delete(_folder, recursive: true);
        }
    }
}
