namespace KapPractice.Web.Infrastructure.Data.Encryption;

/// <summary>
/// Where an EF Core model's sealing converters find their key ring: a seat that one <see cref="DataKeyRing"/> holds at
/// a time. EF Core builds a model, its converters and its compiled queries once per seat
/// (<see cref="KeyRingModelCacheKeyFactory"/>) rather than once per ring.
/// </summary>
/// <remarks>
/// The rules: a ring takes a seat when the first <see cref="KapDbContext"/> (an EF Core context) is made with it and
/// keeps that one seat until the ring is disposed; no context can be made with a disposed ring; and the seat goes back
/// to a pool, where the next ring to make its first context takes it, only once its ring has been disposed and every
/// context made with that ring has been disposed too. So a seat's model is only ever used by contexts of the ring in the
/// seat, and a converter always seals and opens with the ring of the context it runs in.
/// The site has one ring for its whole life, so one seat and one model, as it had when the converters held the ring
/// itself. The tests start about two hundred apps in one process, each with a ring of its own and most of them one
/// after another: an app started after another was disposed takes the seat it left, and so the model EF Core already
/// built and the queries it compiled for it (docs/performance.md, "Test run time"). A context that is never disposed
/// keeps its seat for the life of the process: the pool then grows, which costs a model, never a wrong key.
/// </remarks>
public sealed class ModelKeyRingSeat
{
    private static readonly Lock Seats = new();
    private static readonly Stack<ModelKeyRingSeat> Free = new();

    private readonly Lock _gate = new();
    private DataKeyRing? _ring;
    private int _openContexts;
    private bool _ringDisposed;

    private ModelKeyRingSeat()
    {
    }

    /// <summary>The ring seated here. Read by the converters on every value; an empty seat (which no open context can meet) throws.</summary>
    public DataKeyRing Ring => Volatile.Read(ref _ring) ?? throw new InvalidOperationException("No key ring holds this seat.");

    /// <summary>A seat from the pool (or a new one) for <paramref name="ring"/>.</summary>
    internal static ModelKeyRingSeat TakeFor(DataKeyRing ring)
    {
        lock (Seats)
        {
            var seat = Free.Count > 0 ? Free.Pop() : new ModelKeyRingSeat();
            lock (seat._gate)
            {
                seat._ringDisposed = false;
                seat._openContexts = 0;
                Volatile.Write(ref seat._ring, ring);
            }

            return seat;
        }
    }

    /// <summary>A context made with <paramref name="ring"/>: the seat stays that ring's until the context is disposed.</summary>
    internal void ContextOpened(DataKeyRing ring)
    {
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_ring != ring || _ringDisposed, ring);
            _openContexts++;
        }
    }

    internal void ContextClosed()
    {
        bool free;
        lock (_gate)
        {
            _openContexts--;
            free = _ringDisposed && _openContexts == 0;
        }

        if (free)
        {
            Release();
        }
    }

    internal void RingDisposed()
    {
        bool free;
        lock (_gate)
        {
            _ringDisposed = true;
            free = _openContexts == 0;
        }

        if (free)
        {
            Release();
        }
    }

    private void Release()
    {
        lock (_gate)
        {
            Volatile.Write(ref _ring, null);
        }

        lock (Seats)
        {
            Free.Push(this);
        }
    }
}
