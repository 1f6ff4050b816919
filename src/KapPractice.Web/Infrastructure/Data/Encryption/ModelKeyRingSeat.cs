namespace KapPractice.Web.Infrastructure.Data.Encryption;

/// <summary>
/// Where an EF Core model's sealing converters find their key ring: a seat that one <see cref="DataKeyRing"/> holds at
/// a time. EF Core builds a model, its converters and its compiled queries once per seat
/// (<see cref="KeyRingModelCacheKeyFactory"/>) rather than once per ring.
/// </summary>
/// <remarks>
/// The site has one ring for its whole life, so one seat and one model, as it had when the converters held the ring
/// itself. The tests start about two hundred apps in one process, each with a ring of its own and most of them one
/// after another: an app started after another was disposed takes the seat it left, and so the model EF Core already
/// built and compiled, which took a third of the integration suite's CPU when every app built its own
/// (docs/performance.md, "Test run time").
/// A seat passes to another ring only when its ring has been disposed and every context opened with that ring has been
/// disposed too; until then it keeps its ring. So a converter always seals and opens with the ring of the context it
/// runs in, and a context can no longer be opened on a ring that was disposed.
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

    /// <summary>The ring seated here. Read by the converters on every value.</summary>
    public DataKeyRing Ring => Volatile.Read(ref _ring) ?? throw new ObjectDisposedException(nameof(ModelKeyRingSeat), "No key ring holds this seat.");

    /// <summary>A free seat (or a new one) for <paramref name="ring"/>.</summary>
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

    /// <summary>A context opened with <paramref name="ring"/>: the seat stays its ring's until the context is closed.</summary>
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
