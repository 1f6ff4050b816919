using System.Security.Claims;
using KapPractice.Web.Features.AdminShell;
using KapPractice.Web.Features.SignIn;
using KapPractice.Web.Infrastructure.Audit;
using KapPractice.Web.Infrastructure.Data;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Filters;

namespace KapPractice.Web.Features.AccountSecurity;

/// <summary>An action a session opened only to enrol may use (see <see cref="EnrolmentOnlyGateAttribute"/>).</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class AllowedWhileEnrollingAttribute : Attribute;

/// <summary>
/// On every Security controller: a session signed in with the password only, to enrol a second factor, may only enrol
/// (actions marked <see cref="AllowedWhileEnrollingAttribute"/>) and only while the account has no second factor;
/// anything else ends it, so a password alone can never mint or change a factor. Runs before the action's other
/// filters (the step-up, the unit of work), as the controller's own filter did.
/// </summary>
[AttributeUsage(AttributeTargets.Class)]
public sealed class EnrolmentOnlyGateAttribute : Attribute, IAsyncActionFilter, IOrderedFilter
{
    public int Order => int.MinValue + 1;

    public async Task OnActionExecutionAsync(ActionExecutingContext context, ActionExecutionDelegate next)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(next);
        var http = context.HttpContext;
        if (AccountSecurityResults.EnrolmentOnly(http))
        {
            var services = http.RequestServices;
            var allowed = context.ActionDescriptor.EndpointMetadata.OfType<AllowedWhileEnrollingAttribute>().Any();
            if (!(allowed && await services.GetRequiredService<UserManager<IdentityUser>>().GetUserAsync(http.User) is { } user
                && !await services.GetRequiredService<SecurityOverview>().HasSecondFactorAsync(user)))
            {
                await services.GetRequiredService<EnrolmentSessions>().EndThisAsync(http, http.RequestAborted);
                context.Result = new ChallengeResult();
                return;
            }
        }

        await next();
    }
}

/// <summary>What happens to sessions opened only to enrol, when a factor is added or one asks for more.</summary>
public sealed class EnrolmentSessions(
    SignInManager<IdentityUser> signInManager,
    AdminSessions sessions,
    SecurityOverview overview,
    AuditLog audit,
    KapDbContext db,
    ILogger<EnrolmentSessions> logger)
{
    /// <summary>
    /// The account now has a second factor, so a password alone must hold nothing: this session, if it was
    /// opened to enrol, opens fully, and every other session opened only to enrol ends (audited with the caller's save).
    /// </summary>
    public async Task SecondFactorAddedAsync(IdentityUser user, HttpContext http, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(user);
        ArgumentNullException.ThrowIfNull(http);
        var currentSessionId = AdminSessions.CurrentId(http);
        if (AccountSecurityResults.EnrolmentOnly(http) && currentSessionId is { } sessionId)
        {
            await sessions.OpenFullyAsync(sessionId, cancellationToken);
        }

        foreach (var ended in await sessions.EndOtherEnrolmentOnlyAsync(user.Id, currentSessionId, cancellationToken))
        {
            audit.Add(http.User.AuditName(), AuditActions.SessionEnded, detail: $"{overview.Describe(ended)}: {SessionEndReasons.EnrolledElsewhere}");
            logger.SecurityChanged(user.Id, AuditActions.SessionEnded);
        }
    }

    /// <summary>Ends this enrolment-only session, which asked for more than enrolment, and signs the browser out.</summary>
    public async Task EndThisAsync(HttpContext http, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(http);
        if (AdminSessions.CurrentId(http) is { } sessionId && http.User.FindFirstValue(ClaimTypes.NameIdentifier) is { } userId)
        {
            await sessions.EndAsync(userId, sessionId, SessionEndReasons.BeyondEnrolment, cancellationToken);
            audit.Add(http.User.AuditName(), AuditActions.SessionEnded, detail: $"this session: {SessionEndReasons.BeyondEnrolment}");
            await db.SaveChangesAsync(cancellationToken);
            logger.SecurityChanged(userId, AuditActions.SessionEnded);
        }

        await signInManager.SignOutAsync();
    }
}
