using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc.ActionConstraints;
using Microsoft.AspNetCore.Mvc.ApplicationModels;
using Microsoft.AspNetCore.Routing;

namespace KapPractice.Web.Infrastructure;

/// <summary>
/// HEAD is answered as GET without a body (uptime monitors and link checkers use it): every public GET
/// action also accepts HEAD, and the response body of a HEAD is dropped however it was produced, fresh,
/// compressed or from the output cache (which keeps HEAD and GET apart). Admin actions are left out, so
/// a HEAD never records a view or an export in the audit trail.
/// </summary>
public static class HeadRequests
{
    /// <summary>Adds HEAD beside GET on every action that needs no sign-in.</summary>
    public sealed class AnswerHeadLikeGet : IActionModelConvention
    {
        public void Apply(ActionModel action)
        {
            ArgumentNullException.ThrowIfNull(action);
            if (NeedsSignIn(action))
            {
                return;
            }

            foreach (var selector in action.Selectors)
            {
                var methods = selector.EndpointMetadata.OfType<HttpMethodMetadata>().SelectMany(m => m.HttpMethods).ToList();
                if (!methods.Contains(HttpMethods.Get, StringComparer.OrdinalIgnoreCase) || methods.Contains(HttpMethods.Head, StringComparer.OrdinalIgnoreCase))
                {
                    continue;
                }

                string[] withHead = [.. methods, HttpMethods.Head];
                ReplaceAll(selector.EndpointMetadata, m => m is HttpMethodMetadata, new HttpMethodMetadata(withHead));
                ReplaceAll(selector.ActionConstraints, c => c is HttpMethodActionConstraint, new HttpMethodActionConstraint(withHead));
            }
        }

        private static bool NeedsSignIn(ActionModel action) =>
            !action.Attributes.OfType<IAllowAnonymous>().Any()
            && (action.Attributes.OfType<IAuthorizeData>().Any() || action.Controller.Attributes.OfType<IAuthorizeData>().Any());

        private static void ReplaceAll<T>(IList<T> items, Func<T, bool> match, T replacement)
        {
            for (var i = items.Count - 1; i >= 0; i--)
            {
                if (match(items[i]))
                {
                    items.RemoveAt(i);
                }
            }

            items.Add(replacement);
        }
    }

    /// <summary>
    /// Drops the body of every HEAD response. Kestrel does this itself; doing it here makes it hold on
    /// any server (the test host too), while compression and the output cache run as for GET.
    /// </summary>
    public static IApplicationBuilder UseHeadWithoutBody(this IApplicationBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        return app.Use((context, next) =>
        {
            if (HttpMethods.IsHead(context.Request.Method))
            {
                context.Response.Body = Stream.Null;
            }

            return next(context);
        });
    }
}
