using KapPractice.Web.Domain;
using KapPractice.Web.Infrastructure.Data;
using KapPractice.Web.Infrastructure.Data.Encryption;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting.Internal;

namespace KapPractice.UnitTests.Infrastructure.Data;

/// <summary>
/// The seats are shared by the whole process, so these tests run alone: no other test may take a seat one of them frees.
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

    // As the app configures it: the model is cached per seat. No connection is opened by these tests.
    private static readonly DbContextOptions<KapDbContext> Options = new DbContextOptionsBuilder<KapDbContext>()
        .UseSqlite("Data Source=:memory:")
        .ReplaceService<IModelCacheKeyFactory, KeyRingModelCacheKeyFactory>()
        .Options;

    private DataKeyRing NewRing()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Encryption:KeyDirectory"] = Path.Combine(_folder, Guid.NewGuid().ToString("N")),
        }).Build();
        var ring = new DataKeyRing(configuration, new HostingEnvironment { ContentRootPath = _folder });
        ring.Load();
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
        }

        // Its last context closed, the seat holds no ring until the next one takes it, model and all.
        await firstContext.DisposeAsync();
        Assert.Throws<ObjectDisposedException>(() => seat.Ring);
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
