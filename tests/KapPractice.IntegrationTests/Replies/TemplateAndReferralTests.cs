using KapPractice.Web.Infrastructure.Audit;
using System.Net;
using AngleSharp.Dom;
using KapPractice.IntegrationTests.AtRest;
using KapPractice.Web.Domain;
using KapPractice.Web.Features.Replies;
using Microsoft.EntityFrameworkCore;

namespace KapPractice.IntegrationTests.Replies;

/// <summary>The templates and referrals pages: the defaults, changes, deletions, checks, access and audit.</summary>
[Collection(SharedAdminApp.Name)]
public sealed class TemplateAndReferralTests(AdminFactory factory) : IAsyncLifetime
{
    public Task InitializeAsync() => factory.ResetAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    private Task<List<ReplyTemplate>> TemplatesAsync() => factory.WithDbAsync(db => db.ReplyTemplates.AsNoTracking().OrderBy(t => t.Id).ToListAsync());

    private Task<List<Referral>> ReferralsAsync() => factory.WithDbAsync(db => db.Referrals.AsNoTracking().OrderBy(r => r.Id).ToListAsync());

    [Fact]
    public async Task A_fresh_database_lists_the_four_default_templates()
    {
        var (client, _) = await factory.SignedInClientAsync();

        var page = await client.GetDocumentAsync("/admin/templates");

        var names = page.QuerySelectorAll("table.templates tbody td[data-label='Name']").Select(td => td.TextContent).ToList();
        foreach (var name in new[] { "Let's talk", "More information needed", "Not a fit right now", "Following up on your urgent answer" })
        {
            Assert.Contains(name, names);
        }

        var urgent = (await TemplatesAsync()).Single(t => t.Name == "Following up on your urgent answer");
        Assert.Contains("988", urgent.Body, StringComparison.Ordinal);
        Assert.Contains("text HOME to 741741", urgent.Body, StringComparison.Ordinal);
        Assert.Contains("911", urgent.Body, StringComparison.Ordinal);
        Assert.Contains(ReplyPlaceholders.Referrals, (await TemplatesAsync()).Single(t => t.Name == "Not a fit right now").Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_template_is_added_changed_and_deleted_after_a_confirmation_each_step_audited()
    {
        var (client, email) = await factory.SignedInClientAsync();

        using var added = await client.PostAdminFormAsync("/admin/templates/new", "/admin/templates/new",
            ("Name", "Waitlist"), ("Subject", "About {PracticeName}'s waitlist"), ("Body", "Dear {FirstName},\n\nMy waitlist is open."));
        Assert.Equal(HttpStatusCode.Redirect, added.StatusCode);
        var template = (await TemplatesAsync()).Single(t => t.Name == "Waitlist");
        Assert.Equal("About {PracticeName}'s waitlist", template.Subject);

        using var changed = await client.PostAdminFormAsync($"/admin/templates/{template.Id}/edit", "/edit",
            ("Name", "Waitlist (spring)"), ("Subject", "The waitlist"), ("Body", "Dear {FirstName},\n\nThe spring waitlist is open."));
        Assert.Equal(HttpStatusCode.Redirect, changed.StatusCode);
        var list = await client.GetDocumentAsync("/admin/templates");
        Assert.Contains(list.QuerySelectorAll("td[data-label='Name']"), td => td.TextContent == "Waitlist (spring)");
        Assert.Equal("Dear {FirstName},\n\nThe spring waitlist is open.", (await TemplatesAsync()).Single(t => t.Id == template.Id).Body);

        var confirm = await client.GetDocumentAsync($"/admin/templates/{template.Id}/delete");
        Assert.Contains("Waitlist (spring)", confirm.QuerySelector("main")!.TextContent, StringComparison.Ordinal);
        Assert.Contains(await TemplatesAsync(), t => t.Id == template.Id);
        using var deleted = await client.PostAdminFormAsync($"/admin/templates/{template.Id}/delete", "/delete");
        Assert.Equal(HttpStatusCode.Redirect, deleted.StatusCode);
        Assert.DoesNotContain(await TemplatesAsync(), t => t.Id == template.Id);

        var audit = (await factory.AuditAsync()).Where(e => e.Actor == email).Select(e => (e.Action, e.Detail)).ToList();
        Assert.Contains((AuditActions.TemplateCreated, $"template: {template.Id}"), audit);
        Assert.Contains((AuditActions.TemplateChanged, $"template: {template.Id}"), audit);
        Assert.Contains((AuditActions.TemplateDeleted, $"template: {template.Id}"), audit);
    }

    [Theory]
    [InlineData("Dear {FirstNme}, {Whatever}", "Hi", "{FirstNme}, {Whatever}")]
    [InlineData("Dear {FirstName}", "Hello {FirstName}", "{FirstName}")]
    public async Task Unknown_placeholders_are_refused_by_name_and_nothing_is_stored(string body, string subject, string named)
    {
        var (client, _) = await factory.SignedInClientAsync();
        var before = (await TemplatesAsync()).Count;

        using var response = await client.PostAdminFormAsync("/admin/templates/new", "/admin/templates/new", ("Name", "Typo"), ("Subject", subject), ("Body", body));
        var page = await Html.ParseAsync(response);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains(named, page.QuerySelector(".error-summary")!.TextContent, StringComparison.Ordinal);
        Assert.Equal(body, page.QuerySelector<AngleSharp.Html.Dom.IHtmlTextAreaElement>("#template-body")!.Value);
        Assert.Equal(before, (await TemplatesAsync()).Count);
    }

    [Fact]
    public async Task Empty_or_oversize_fields_and_unknown_ids_give_messages_or_404_never_an_error()
    {
        var (client, _) = await factory.SignedInClientAsync();
        var before = (await TemplatesAsync()).Count;

        using var empty = await client.PostAdminFormAsync("/admin/templates/new", "/admin/templates/new", ("Name", ""), ("Subject", ""), ("Body", ""));
        Assert.Equal(HttpStatusCode.BadRequest, empty.StatusCode);
        Assert.Equal(3, (await Html.ParseAsync(empty)).QuerySelectorAll(".error-summary li").Length);
        using var huge = await client.PostAdminFormAsync("/admin/referrals/new", "/admin/referrals/new",
            ("Name", new string('n', TextLimits.ReferralName + 1)), ("Purpose", "x"), ("Contact", "y"));
        Assert.Equal(HttpStatusCode.BadRequest, huge.StatusCode);
        Assert.Contains($"at most {TextLimits.ReferralName:N0}", (await Html.ParseAsync(huge)).QuerySelector(".error-summary")!.TextContent, StringComparison.Ordinal);
        Assert.Equal(before, (await TemplatesAsync()).Count);
        Assert.DoesNotContain(await ReferralsAsync(), r => r.Purpose == "x");

        foreach (var path in new[] { "/admin/templates/999999/edit", "/admin/templates/999999/delete", "/admin/referrals/999999/edit", "/admin/referrals/999999/delete" })
        {
            using var response = await client.GetAsync(new Uri(path, UriKind.Relative));
            Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
            using var post = await client.PostWithTokenAsync("/admin/templates", path, [new("Name", "a"), new("Subject", "b"), new("Body", "c"), new("Purpose", "d"), new("Contact", "e")]);
            Assert.Equal(HttpStatusCode.NotFound, post.StatusCode);
        }
    }

    [Fact]
    public async Task A_referral_is_added_changed_and_deleted_after_a_confirmation_each_step_audited()
    {
        var (client, email) = await factory.SignedInClientAsync();
        var id = await client.AddReferralAsync(factory, "Open Path Collective", "sliding-scale therapy", "openpathcollective.org");

        using var changed = await client.PostAdminFormAsync($"/admin/referrals/{id}/edit", "/edit", ("Name", "Open Path"), ("Purpose", "low-cost therapy"), ("Contact", "https://openpathcollective.org"));
        Assert.Equal(HttpStatusCode.Redirect, changed.StatusCode);
        var row = (await client.GetDocumentAsync("/admin/referrals")).QuerySelectorAll("table.referrals tbody tr").Single(tr => tr.TextContent.Contains("Open Path", StringComparison.Ordinal));
        Assert.Contains("low-cost therapy", row.TextContent, StringComparison.Ordinal);

        Assert.Contains("Open Path", (await client.GetDocumentAsync($"/admin/referrals/{id}/delete")).QuerySelector("main")!.TextContent, StringComparison.Ordinal);
        using var deleted = await client.PostAdminFormAsync($"/admin/referrals/{id}/delete", "/delete");
        Assert.Equal(HttpStatusCode.Redirect, deleted.StatusCode);
        Assert.DoesNotContain(await ReferralsAsync(), r => r.Id == id);

        var audit = (await factory.AuditAsync()).Where(e => e.Actor == email).Select(e => (e.Action, e.Detail)).ToList();
        Assert.Contains((AuditActions.ReferralCreated, $"referral: {id}"), audit);
        Assert.Contains((AuditActions.ReferralChanged, $"referral: {id}"), audit);
        Assert.Contains((AuditActions.ReferralDeleted, $"referral: {id}"), audit);
    }

    [Fact]
    public async Task Signed_out_requests_are_sent_to_sign_in_and_posts_without_a_token_change_nothing()
    {
        using var signedOut = factory.CreateHttpsClient();
        var token = await signedOut.AnonymousTokenAsync();
        foreach (var path in new[] { "/admin/templates", "/admin/templates/new", "/admin/templates/1/edit", "/admin/templates/1/delete", "/admin/referrals", "/admin/referrals/new", "/admin/referrals/1/edit", "/admin/referrals/1/delete" })
        {
            using var get = await signedOut.GetAsync(new Uri(path, UriKind.Relative));
            Assert.Equal(HttpStatusCode.Redirect, get.StatusCode);
            Assert.StartsWith("https://localhost/admin/sign-in", get.Headers.Location!.ToString(), StringComparison.Ordinal);
            if (path is "/admin/templates" or "/admin/referrals")
            {
                continue; // the lists take no post
            }

            // A valid (anonymous) token, so only the sign-in requirement can turn the post away.
            using var post = await signedOut.PostAsync(new Uri(path, UriKind.Relative), new FormUrlEncodedContent([new("__RequestVerificationToken", token), new("Name", "Signed out"), new("Subject", "s"), new("Body", "b"), new("Purpose", "p"), new("Contact", "c")]));
            Assert.Equal(HttpStatusCode.Redirect, post.StatusCode);
            Assert.StartsWith("https://localhost/admin/sign-in", post.Headers.Location!.ToString(), StringComparison.Ordinal);
        }

        var (client, _) = await factory.SignedInClientAsync();
        using var noToken = await client.PostAsync(new Uri("/admin/templates/new", UriKind.Relative), new FormUrlEncodedContent([new("Name", "No token"), new("Subject", "s"), new("Body", "b")]));
        Assert.Equal(HttpStatusCode.BadRequest, noToken.StatusCode);
        var firstDefault = (await TemplatesAsync()).First();
        using var noTokenDelete = await client.PostAsync(new Uri($"/admin/templates/{firstDefault.Id}/delete", UriKind.Relative), new FormUrlEncodedContent([]));
        Assert.Equal(HttpStatusCode.BadRequest, noTokenDelete.StatusCode);
        using var noTokenReferral = await client.PostAsync(new Uri("/admin/referrals/new", UriKind.Relative), new FormUrlEncodedContent([new("Name", "Signed out"), new("Purpose", "p"), new("Contact", "c")]));
        Assert.Equal(HttpStatusCode.BadRequest, noTokenReferral.StatusCode);

        Assert.DoesNotContain(await TemplatesAsync(), t => t.Name is "No token" or "Signed out");
        Assert.Contains(await TemplatesAsync(), t => t.Id == firstDefault.Id);
        Assert.DoesNotContain(await ReferralsAsync(), r => r.Name == "Signed out");
    }
}

public sealed class DefaultTemplateSeedTests
{
    [Fact]
    public async Task A_deleted_default_template_is_not_created_again_when_the_app_restarts()
    {
        using var folders = new TempFolder();
        int deletedId;
        await using (var first = AtRestFactory.On(folders.Sub("data"), folders.Sub("keys")))
        {
            var (client, _) = await first.SignedInClientAsync();
            deletedId = await first.TemplateIdAsync("Let's talk");
            using var deleted = await client.PostAdminFormAsync($"/admin/templates/{deletedId}/delete", "/delete");
            Assert.Equal(HttpStatusCode.Redirect, deleted.StatusCode);
        }

        await using var second = AtRestFactory.On(folders.Sub("data"), folders.Sub("keys"));
        var (again, _) = await second.SignedInClientAsync();
        var names = (await again.GetDocumentAsync("/admin/templates")).QuerySelectorAll("td[data-label='Name']").Select(td => td.TextContent).ToList();

        Assert.DoesNotContain("Let's talk", names);
        Assert.Equal(3, names.Count);
    }
}
