using System.Net;
using AngleSharp.Dom;
using KapPractice.IntegrationTests.ContentEditing;
using KapPractice.Web.Domain;
using KapPractice.Web.Features.Content;
using KapPractice.Web.Features.GoLive;
using KapPractice.Web.Infrastructure.Audit;
using Microsoft.EntityFrameworkCore;

namespace KapPractice.IntegrationTests.GoLive;

/// <summary>The go-live checklist on a fresh install, on the admin home.</summary>
[Collection(SharedAdminApp.Name)]
public sealed class GoLiveChecklistOnAFreshInstallTests(AdminFactory factory) : IAsyncLifetime
{
    private static readonly string[] States = ["Done", "Not done"];

    public Task InitializeAsync() => factory.ResetAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task A_fresh_install_shows_every_item_with_its_state_in_words_and_a_way_to_do_it()
    {
        var (client, _) = await factory.SignedInClientAsync();

        var home = await client.GetDocumentAsync("/admin");

        var checklist = home.QuerySelector("section.go-live");
        Assert.NotNull(checklist);
        Assert.Equal("Before the site goes live", checklist.QuerySelector("h2")!.TextContent);
        foreach (var id in new[] { "go-live-fees", "go-live-test-email", "go-live-allowed-hosts", "go-live-templates", "go-live-backup", "go-live-bio-photo" })
        {
            Assert.Equal("Not done", State(home, id));
        }

        // This app writes email to the pickup folder; the site address is set or not by its settings, in words either way.
        Assert.Equal("Not done", State(home, "go-live-smtp"));
        Assert.Contains(State(home, "go-live-site-url"), States);
        Assert.Equal("/admin/content", home.QuerySelector("#go-live-fees a")!.GetAttribute("href"));
        Assert.Equal("/admin/content", home.QuerySelector("#go-live-bio-photo a")!.GetAttribute("href"));
        Assert.Null(home.QuerySelector("#go-live-test-email form"));
        Assert.Equal("true", home.QuerySelector($"#go-live-backup form[action='{GoLiveChecklist.BackupCopiedPath}'] input[name=done]")!.GetAttribute("value"));
        Assert.Equal("true", home.QuerySelector($"#go-live-templates form[action='{GoLiveChecklist.TemplatesReadPath}'] input[name=done]")!.GetAttribute("value"));
        Assert.NotNull(home.QuerySelector("section.go-live a[href='/admin/templates']"));
    }

    [Fact]
    public async Task A_signed_out_visitor_cannot_send_the_test_email_or_tick_an_item()
    {
        using var anonymous = factory.CreateHttpsClient();
        foreach (var path in new[] { GoLiveChecklist.TestEmailPath, GoLiveChecklist.BackupCopiedPath, GoLiveChecklist.TemplatesReadPath })
        {
            using var content = new FormUrlEncodedContent([new("done", "true")]);
            using var response = await anonymous.PostAsync(new Uri(path, UriKind.Relative), content);

            Assert.False(response.IsSuccessStatusCode, $"{path} answered {response.StatusCode}");
            Assert.NotEqual("/admin", response.Headers.Location?.OriginalString);
        }

        Assert.DoesNotContain(await factory.WithDbAsync(db => db.AuditEntries.ToListAsync()), e => e.Action == AuditActions.TestEmailSent);
        Assert.False(await factory.WithDbAsync(db => db.OutboxMessages.AnyAsync(m => m.Kind == OutboxKind.TestEmail)));
        Assert.False(await factory.WithDbAsync(db => db.DataSeeds.AnyAsync(s => s.Name.StartsWith("go-live:"))));
    }

    [Fact]
    public async Task While_email_goes_to_the_pickup_folder_no_test_email_is_sent_and_the_item_says_why()
    {
        var (client, _) = await factory.SignedInClientAsync();
        var before = await client.GetDocumentAsync("/admin");
        Assert.Equal("Not done", State(before, "go-live-smtp"));
        Assert.Null(before.QuerySelector("#go-live-test-email form"));

        // As a page opened before the email settings changed would post it.
        var token = before.QuerySelector("input[name=__RequestVerificationToken]")!.GetAttribute("value")!;
        using (var content = new FormUrlEncodedContent([new("__RequestVerificationToken", token)]))
        using (var pressed = await client.PostAsync(new Uri(GoLiveChecklist.TestEmailPath, UriKind.Relative), content))
        {
            Assert.Equal(HttpStatusCode.Redirect, pressed.StatusCode);
        }

        var home = await client.GetDocumentAsync("/admin");
        Assert.Equal(GoLiveChecklist.NoSmtpForTestEmail, home.QuerySelector("p.flash")!.TextContent);
        Assert.Equal("Not done", State(home, "go-live-test-email"));
        Assert.Contains(GoLiveChecklist.NoSmtpForTestEmail, home.QuerySelector("#go-live-test-email")!.TextContent, StringComparison.Ordinal);
        Assert.False(await factory.WithDbAsync(db => db.OutboxMessages.AnyAsync(m => m.Kind == OutboxKind.TestEmail)));
        Assert.DoesNotContain(await factory.WithDbAsync(db => db.AuditEntries.ToListAsync()), e => e.Action == AuditActions.TestEmailSent);
    }

    internal static string State(IDocument page, string id) =>
        page.QuerySelector($"#{id} .go-live-state")?.TextContent ?? throw new Xunit.Sdk.XunitException($"no item {id} on the page");
}

/// <summary>Doing every item: the test email reaches the in-process SMTP server, the ticks stick, and the checklist goes away.</summary>
public sealed class GoLiveChecklistDoneTests
{
    [Fact]
    public async Task The_test_email_arrives_and_once_every_item_is_done_the_checklist_is_gone_until_one_is_undone()
    {
        await using var mail = await MailHarness.StartAsync(f => f.WithSetting("AllowedHosts", "localhost;kap.test"));
        var (client, email) = await mail.Factory.SignedInClientAsync();
        await PublishFeesAndBioPhotoAsync(mail.Factory, client);

        var before = await client.GetDocumentAsync("/admin");
        Assert.Equal("Done", GoLiveChecklistOnAFreshInstallTests.State(before, "go-live-fees"));
        Assert.Equal("Done", GoLiveChecklistOnAFreshInstallTests.State(before, "go-live-bio-photo"));
        Assert.Equal("Done", GoLiveChecklistOnAFreshInstallTests.State(before, "go-live-smtp"));
        Assert.Equal("Done", GoLiveChecklistOnAFreshInstallTests.State(before, "go-live-site-url"));
        Assert.Equal("Done", GoLiveChecklistOnAFreshInstallTests.State(before, "go-live-allowed-hosts"));
        Assert.Equal("Not done", GoLiveChecklistOnAFreshInstallTests.State(before, "go-live-test-email"));

        // A test email her mail server refuses leaves the item to do: pressing the button is not what it checks.
        mail.Smtp.RefuseNext(1, 550, "5.7.8 Authentication credentials invalid");
        using (var refused = await client.PostAdminFormAsync("/admin", GoLiveChecklist.TestEmailPath))
        {
            Assert.Equal(HttpStatusCode.Redirect, refused.StatusCode);
        }

        await Eventually.TrueAsync(
            () => mail.Factory.WithDbAsync(db => db.OutboxMessages.AnyAsync(m => m.Kind == OutboxKind.TestEmail && m.State == OutboxState.Failed)),
            what: "the refused test email's outbox row to be marked failed");
        Assert.Equal("Not done", GoLiveChecklistOnAFreshInstallTests.State(await client.GetDocumentAsync("/admin"), "go-live-test-email"));

        using (var sent = await client.PostAdminFormAsync("/admin", GoLiveChecklist.TestEmailPath))
        {
            Assert.Equal(HttpStatusCode.Redirect, sent.StatusCode);
        }

        var received = (await mail.Smtp.WaitForAsync(r => r.Any(m => m.Message.Subject == TestEmailComposer.Subject))).Single(m => m.Message.Subject == TestEmailComposer.Subject);
        Assert.Equal([MailHarness.PracticeAddress], received.EnvelopeTo);
        Assert.Equal(MailHarness.FromAddress, received.Message.From.Mailboxes.Single().Address);
        Assert.Contains("the site's email settings work", received.TextBody.ReplaceLineEndings(" "), StringComparison.Ordinal);
        Assert.Contains(await mail.Factory.WithDbAsync(db => db.AuditEntries.ToListAsync()), e => e.Action == AuditActions.TestEmailSent && e.Actor == email);
        await Eventually.TrueAsync(
            () => mail.Factory.WithDbAsync(db => db.OutboxMessages.AnyAsync(m => m.Kind == OutboxKind.TestEmail && m.State == OutboxState.Sent)),
            what: "the test email's outbox row to be marked sent");

        using (var ticked = await client.PostAdminFormAsync("/admin", GoLiveChecklist.TemplatesReadPath))
        {
            Assert.Equal(HttpStatusCode.Redirect, ticked.StatusCode);
        }

        var almost = await client.GetDocumentAsync("/admin");
        Assert.Equal("Done", GoLiveChecklistOnAFreshInstallTests.State(almost, "go-live-test-email"));
        Assert.Equal("Done", GoLiveChecklistOnAFreshInstallTests.State(almost, "go-live-templates"));
        Assert.Equal("Not done", GoLiveChecklistOnAFreshInstallTests.State(almost, "go-live-backup"));
        Assert.Contains("1 of 8 items still to do", almost.QuerySelector("section.go-live")!.TextContent, StringComparison.Ordinal);

        using (var ticked = await client.PostAdminFormAsync("/admin", GoLiveChecklist.BackupCopiedPath))
        {
            Assert.Equal(HttpStatusCode.Redirect, ticked.StatusCode);
        }

        var done = await client.GetDocumentAsync("/admin");
        Assert.Null(done.QuerySelector("section.go-live"));
        Assert.NotNull(done.QuerySelector("h1"));

        // An untick (as the item's button posts while the list shows) brings the list back with that item not done.
        using (var unticked = await UntickAsync(client, GoLiveChecklist.BackupCopiedPath))
        {
            Assert.Equal(HttpStatusCode.Redirect, unticked.StatusCode);
        }

        var again = await client.GetDocumentAsync("/admin");
        Assert.Equal("Not done", GoLiveChecklistOnAFreshInstallTests.State(again, "go-live-backup"));
        Assert.Equal("Done", GoLiveChecklistOnAFreshInstallTests.State(again, "go-live-templates"));
    }

    /// <summary>Posts done=false with the antiforgery token of a form on the admin home (the list, and its buttons, are gone).</summary>
    private static async Task<HttpResponseMessage> UntickAsync(HttpClient client, string path)
    {
        var page = await client.GetDocumentAsync("/admin");
        var token = page.QuerySelector("input[name=__RequestVerificationToken]")!.GetAttribute("value")!;
        using var content = new FormUrlEncodedContent([new("__RequestVerificationToken", token), new("done", "false")]);
        return await client.PostAsync(new Uri(path, UriKind.Relative), content);
    }

    /// <summary>What she does in the content area, through its forms: her fees published, a bio photo with alt text on the live about page.</summary>
    private static async Task PublishFeesAndBioPhotoAsync(KapPracticeFactory factory, HttpClient client)
    {
        await client.PublishPageAsync(factory, SitePages.Fees, "- **KAP session** (2 to 3 hours): $450");
        var photo = await client.UploadPictureAsync(factory, TestImages.Jpeg(1200, 1200), "The practitioner smiling in her studio");
        await client.PublishPageAsync(factory, SitePages.About, imageKey: photo);
    }
}
