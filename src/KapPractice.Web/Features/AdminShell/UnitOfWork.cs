using System.Security.Claims;
using KapPractice.Web.Infrastructure.Audit;
using KapPractice.Web.Infrastructure.Data;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Filters;

namespace KapPractice.Web.Features.AdminShell;

/// <summary>
/// Marks an admin action as one unit of work: the action runs inside a database transaction, makes its changes
/// (and adds its audit entry) to the context without saving, and the filter saves and commits once the action has
/// returned without an exception. An exception, or <see cref="UnitOfWork.Discard"/>, rolls everything back, so a
/// change is never stored without its audit entry or half-stored. Work that must wait for the commit (nudging the
/// outbox, deleting pickup files, logging) goes to <see cref="UnitOfWork.AfterCommit"/>.
/// </summary>
/// <remarks>
/// Only for actions whose whole body belongs in one transaction. Sign-in counts an attempt in a transaction of its own
/// before it judges the password (docs/security.md), and signing out ends sessions before it audits (the end must
/// stand even if the audit line cannot be written), so those actions do not use this. A GET (opening, printing or
/// exporting an inquiry) only adds its audit line and "viewed" mark: it gets no transaction around its reads, since on
/// SQLite a transaction holds the one write lock from its start, and the filter saves once after it.
/// The filter runs inside the other action filters (step-up, enrolment gate), so a refused request never opens one.
/// </remarks>
[AttributeUsage(AttributeTargets.Method | AttributeTargets.Class, AllowMultiple = false)]
public sealed class UnitOfWorkAttribute : TypeFilterAttribute
{
    public UnitOfWorkAttribute()
        : this(string.Empty)
    {
    }

    /// <param name="section">
    /// A section every instance's changes of one kind hold in turn (docs/deployment.md), taken as the transaction opens,
    /// before the action reads anything its decision depends on; empty for none.
    /// </param>
    public UnitOfWorkAttribute(string section)
        : base(typeof(UnitOfWorkFilter))
    {
        ArgumentNullException.ThrowIfNull(section);
        Order = int.MaxValue;
        Section = section;
        Arguments = [new UnitOfWorkSection(section)];
    }

    /// <summary>The section the action's transaction holds; empty for none.</summary>
    public string Section { get; }
}

/// <summary>The section named by <see cref="UnitOfWorkAttribute"/>, handed to its filter.</summary>
internal sealed record UnitOfWorkSection(string Name);

/// <summary>What the current admin action asks of its unit of work (see <see cref="UnitOfWorkAttribute"/>).</summary>
public sealed class UnitOfWork
{
    private readonly List<Func<Task>> _afterCommit = [];

    /// <summary>True once the action has asked for nothing of this request to be stored.</summary>
    public bool Discarded { get; private set; }

    /// <summary>Nothing this action changed is saved (for example, a change refused after a check inside the transaction).</summary>
    public void Discard() => Discarded = true;

    /// <summary>Runs <paramref name="work"/> after a successful commit, in the order added; never after a rollback.</summary>
    public void AfterCommit(Func<Task> work) => _afterCommit.Add(work);

    /// <inheritdoc cref="AfterCommit(Func{Task})"/>
    public void AfterCommit(Action work) => _afterCommit.Add(() =>
    {
        work();
        return Task.CompletedTask;
    });

    internal async Task RunAfterCommitAsync()
    {
        foreach (var work in _afterCommit)
        {
            await work();
        }
    }
}

internal sealed class UnitOfWorkFilter(KapDbContext db, UnitOfWork work, UnitOfWorkSection section) : IAsyncActionFilter
{
    public async Task OnActionExecutionAsync(ActionExecutingContext context, ActionExecutionDelegate next)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(next);
        if (HttpMethods.IsGet(context.HttpContext.Request.Method) || HttpMethods.IsHead(context.HttpContext.Request.Method))
        {
            var shown = await next();
            if (shown.Exception is null && !work.Discarded)
            {
                await db.SaveChangesAsync(CancellationToken.None);
                await work.RunAfterCommitAsync();
            }

            return;
        }

        await using (var transaction = await db.Database.BeginTransactionAsync(context.HttpContext.RequestAborted))
        {
            if (section.Name.Length > 0)
            {
                await db.Database.LockSectionAsync(section.Name, context.HttpContext.RequestAborted);
            }

            var executed = await next();
            // Rolled back on any exception, even one a later filter marks handled: half a change is never stored.
            if (executed.Exception is not null || work.Discarded)
            {
                return; // disposed without a commit: rolled back
            }

            // Once the action has decided, its change is stored whole even if the browser goes away meanwhile.
            await db.SaveChangesAsync(CancellationToken.None);
            await transaction.CommitAsync(CancellationToken.None);
        }

        await work.RunAfterCommitAsync();
    }
}

public static class AuditActor
{
    /// <summary>The name an admin action is audited under: the signed-in account's, or a marker when there is none.</summary>
    public static string AuditName(this ClaimsPrincipal user) => user?.Identity?.Name ?? AuditLog.UnknownActor;
}
