using KapPractice.Web.Infrastructure.Data.Encryption;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;

namespace KapPractice.Web.Infrastructure.Data;

/// <summary>The context's hold on its key ring's model seat (<see cref="ModelKeyRingSeat"/>): taken when made, given back when disposed.</summary>
public partial class KapDbContext
{
    private readonly ModelKeyRingSeat seat;
    private int closed;

    /// <summary>Where this context's model finds <see cref="KeyRing"/>: the model is built, and cached, per seat.</summary>
    public ModelKeyRingSeat ModelSeat => seat;

    /// <summary>
    /// Every context of ours caches its model per seat, whoever configured its options: a model cached per context type
    /// would hold the first context's seat, and so seal other rings' values with whichever ring sat there.
    /// </summary>
    protected sealed override void OnConfiguring(DbContextOptionsBuilder optionsBuilder)
    {
        ArgumentNullException.ThrowIfNull(optionsBuilder);
        optionsBuilder.ReplaceService<IModelCacheKeyFactory, KeyRingModelCacheKeyFactory>();
    }

    public override void Dispose()
    {
        try
        {
            base.Dispose();
        }
        finally
        {
            LeaveSeat();
        }

        GC.SuppressFinalize(this);
    }

    public override async ValueTask DisposeAsync()
    {
        try
        {
            await base.DisposeAsync();
        }
        finally
        {
            LeaveSeat();
        }

        GC.SuppressFinalize(this);
    }

    // Once only: the PostgreSQL context is registered as itself and as KapDbContext, so its scope disposes it twice.
    private void LeaveSeat()
    {
        if (Interlocked.Exchange(ref closed, 1) == 0)
        {
            seat.ContextClosed();
        }
    }
}
