using KapPractice.Web.Features.Inquiries;
using KapPractice.Web.Infrastructure.Audit;
using System.Net;
using KapPractice.Web.Features.InquiryReview;
using KapPractice.Web.Domain;
using KapPractice.Web.Infrastructure.Data;
using Microsoft.EntityFrameworkCore;

namespace KapPractice.IntegrationTests.InquiryReview;

/// <summary>Run on SQLite (<see cref="AdminInquiryDetailTests"/>) and on PostgreSQL (<see cref="AdminInquiryDetailTestsOnPostgreSql"/>).</summary>
public abstract class AdminInquiryDetailTestsBase(AdminFactory factory) : IAsyncLifetime
{
    public Task InitializeAsync() => factory.ResetAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    private Task<Inquiry> ReloadAsync(int id) => ReloadAsync(factory, id);

    private Task<List<AuditEntry>> AuditForAsync(int id) => AuditForAsync(factory, id);

    private static Task<Inquiry> ReloadAsync(KapPracticeFactory app, int id) => app.WithDbAsync(db => db.Inquiries
        .Include(i => i.Notes).Include(i => i.OutboxMessages).AsNoTracking().SingleAsync(i => i.Id == id));

    private static Task<List<AuditEntry>> AuditForAsync(KapPracticeFactory app, int id) =>
        app.WithDbAsync(db => db.AuditEntries.Where(e => e.InquiryId == id).OrderBy(e => e.Id).ToListAsync());

    private async Task<int> StoreAsync(Action<InquiryForm>? change = null) => (await factory.SubmitAsync(change is null ? ValidInquiry.Form() : ValidInquiry.With(change))).Id;

    [Fact]
    public async Task The_inquiry_page_shows_every_answer_in_readable_groups_with_the_screening_reasons()
    {
        var stored = await factory.SubmitAsync(ValidInquiry.With(i =>
        {
            i.FullName = "José Nguyễn-O'Brien";
            i.InNewYork = YesNoNotSure.NotSure;
            i.Concerns = [Concern.PtsdOrTrauma, Concern.Ocd, Concern.Other];
            i.ConcernOther = "Chronic pain";
            i.Medications = [Medication.Maois, Medication.Lamotrigine];
            i.BloodPressure = BloodPressure.TreatedAndControlled;
        }));
        var (client, _) = await factory.SignedInClientAsync();

        var page = await client.GetDocumentAsync($"/admin/inquiries/{stored.Id}");

        Assert.Equal("Inquiry from José Nguyễn-O'Brien", page.QuerySelector("h1")!.TextContent);
        string[] groups = ["Contact", "Basics", "What brings you", "Safety", "Medical screening", "Consents"];
        Assert.Equal(groups, page.QuerySelectorAll("section.answers h2").Select(h => h.TextContent));
        var answers = page.QuerySelectorAll(".answer").ToDictionary(a => a.QuerySelector("dt")!.TextContent, a => a.QuerySelector("dd")!.TextContent);
        Assert.Equal("PTSD or trauma; OCD; Something else", answers["What would you like help with?"]);
        Assert.Equal("Chronic pain", answers["If something else, what is it?"]);
        Assert.Equal("MAOIs; Lamotrigine (Lamictal)", answers["Do you take any of these medications now?"]);
        Assert.Equal("Yes, treated and under control", answers["Do you have high blood pressure?"]);
        Assert.Equal("Not sure", answers["Will you be physically in New York State during sessions?"]);
        Assert.Contains("Needs medical review", page.QuerySelector("#screening-title")!.TextContent, StringComparison.Ordinal);
        var reasons = page.QuerySelectorAll("section.screening li").Select(li => li.TextContent).ToList();
        Assert.Equal(stored.ScreeningReasons, reasons);
        Assert.Contains("Needs medical review: Takes an MAOI.", reasons);
    }

    [Fact]
    public async Task What_a_client_typed_is_html_encoded()
    {
        var id = (await factory.SubmitAsync(ValidInquiry.With(i => i.FullName = "<script>alert(1)</script>") with { Message = "<img src=x onerror=alert(2)>" })).Id;
        var (client, _) = await factory.SignedInClientAsync();

        using var response = await client.GetAsync(new Uri($"/admin/inquiries/{id}", UriKind.Relative));
        var html = await response.Content.ReadAsStringAsync();

        Assert.DoesNotContain("<script>alert(1)", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<img src=x", html, StringComparison.Ordinal);
        Assert.Contains("&lt;script&gt;alert(1)&lt;/script&gt;", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Viewing_marks_the_inquiry_read_and_is_audited()
    {
        var id = await StoreAsync();
        var (client, email) = await factory.SignedInClientAsync();
        Assert.Null((await ReloadAsync(id)).FirstViewedUtc);

        await client.GetDocumentAsync($"/admin/inquiries/{id}");
        var firstViewed = (await ReloadAsync(id)).FirstViewedUtc;
        await client.GetDocumentAsync($"/admin/inquiries/{id}");

        Assert.NotNull(firstViewed);
        Assert.Equal(firstViewed, (await ReloadAsync(id)).FirstViewedUtc);
        var audit = await AuditForAsync(id);
        Assert.Equal(2, audit.Count(e => e.Action == AuditActions.Viewed && e.Actor == email));
    }

    [Fact]
    public async Task Changing_the_status_is_stored_shown_and_audited_without_inquiry_content()
    {
        var received = await factory.SubmitAsync(ValidInquiry.Form());
        var id = received.Id;
        var (client, email) = await factory.SignedInClientAsync();

        using var response = await client.PostAdminFormAsync($"/admin/inquiries/{id}", "/status", ("status", "ConsultationBooked"));
        var page = await client.GetDocumentAsync(response.Headers.Location!.OriginalString);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var stored = await ReloadAsync(id);
        Assert.Equal(InquiryStatus.ConsultationBooked, stored.Status);
        Assert.True(stored.StatusChangedUtc > received.StatusChangedUtc);
        Assert.Equal("Status set to Consultation booked.", page.QuerySelector(".flash")!.TextContent);
        Assert.Equal("ConsultationBooked", page.QuerySelector("#status option[selected]")!.GetAttribute("value"));
        var entry = (await AuditForAsync(id)).Single(e => e.Action == AuditActions.StatusChanged);
        Assert.Equal(email, entry.Actor);
        Assert.Equal("status: ConsultationBooked", entry.Detail);
    }

    [Fact]
    public async Task An_unknown_status_is_refused_and_nothing_changes()
    {
        var id = await StoreAsync();
        var (client, _) = await factory.SignedInClientAsync();

        using var response = await client.PostAdminFormAsync($"/admin/inquiries/{id}", "/status", ("status", "Archived"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(InquiryStatus.New, (await ReloadAsync(id)).Status);
    }

    [Fact]
    public async Task A_note_is_kept_with_its_author_and_time_and_audited_without_its_text()
    {
        var id = await StoreAsync();
        var (client, email) = await factory.SignedInClientAsync();

        using var response = await client.PostAdminFormAsync($"/admin/inquiries/{id}", "/notes", ("text", "Left a voicemail; call back Tuesday."));
        var page = await client.GetDocumentAsync($"/admin/inquiries/{id}");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var note = Assert.Single((await ReloadAsync(id)).Notes);
        Assert.Equal(email, note.Author);
        Assert.Equal("Left a voicemail; call back Tuesday.", note.Text);
        Assert.True(note.CreatedUtc > DateTime.UtcNow.AddMinutes(-1));
        Assert.Equal("Left a voicemail; call back Tuesday.", page.QuerySelector(".note-text")!.TextContent);
        Assert.StartsWith(email, page.QuerySelector(".note-meta")!.TextContent, StringComparison.Ordinal);
        var entry = (await AuditForAsync(id)).Single(e => e.Action == AuditActions.NoteAdded);
        Assert.Equal(email, entry.Actor);
        Assert.DoesNotContain("voicemail", entry.Detail ?? string.Empty, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_empty_note_shows_an_error_and_stores_nothing()
    {
        var id = await StoreAsync();
        var (client, _) = await factory.SignedInClientAsync();

        using var response = await client.PostAdminFormAsync($"/admin/inquiries/{id}", "/notes", ("text", "   "));
        var page = await Html.ParseAsync(response);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("Enter the note.", page.QuerySelector(".error-summary a[href='#note-text']")!.TextContent);
        Assert.Empty((await ReloadAsync(id)).Notes);
    }

    [Fact]
    public async Task Resending_a_failed_notification_queues_a_new_one_with_a_new_message_id_that_is_sent_at_once()
    {
        await using var mail = await MailHarness.StartAsync(f => f.WithSetting("Email:SendClientAcknowledgement", "false"), provider: factory.Provider);
        mail.Smtp.RefuseNext(1, 550, "5.7.1 Refused");
        var inquiry = await mail.Factory.SubmitAsync(ValidInquiry.Form());
        var failed = await mail.Factory.WaitForRowAsync(inquiry.Id, OutboxKind.PractitionerNotification, r => r.State == OutboxState.Failed);
        var (client, email) = await mail.Factory.SignedInClientAsync();

        using var response = await client.PostAdminFormAsync($"/admin/inquiries/{inquiry.Id}", "/resend");
        var page = await client.GetDocumentAsync(response.Headers.Location!.OriginalString);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("The notification is queued to be sent again.", page.QuerySelector(".flash")!.TextContent);
        var messages = (await ReloadAsync(mail.Factory, inquiry.Id)).OutboxMessages.OrderBy(m => m.Id).ToList();
        Assert.Equal([failed.Id, messages[1].Id], messages.Select(m => m.Id));
        Assert.Equal(OutboxState.Failed, messages[0].State);
        Assert.Equal((OutboxKind.PractitionerNotification, MailHarness.PracticeAddress), (messages[1].Kind, messages[1].Recipient));
        Assert.NotEqual(failed.MessageId, messages[1].MessageId);
        // The fake clock stands still, so only the nudge can have woken the dispatcher.
        var received = Assert.Single(await mail.Smtp.WaitForCountAsync(1));
        Assert.Equal(messages[1].MessageId, received.Message.MessageId);
        Assert.Contains(await AuditForAsync(mail.Factory, inquiry.Id), e => e.Action == AuditActions.NotificationResent && e.Actor == email);
    }

    [Fact]
    public async Task Resending_while_a_notification_is_still_queued_adds_no_second_one_and_says_so()
    {
        // The mail server is down: the notification waits for a retry the standing fake clock never reaches.
        await using var mail = await MailHarness.StartAsync(f => f.WithSetting("Email:SendClientAcknowledgement", "false"), smtpRunning: false, provider: factory.Provider);
        var inquiry = await mail.Factory.SubmitAsync(ValidInquiry.Form());
        await mail.Factory.WaitForRowAsync(inquiry.Id, OutboxKind.PractitionerNotification, r => r.Attempts == 1 && r.State == OutboxState.Pending);
        var (client, _) = await mail.Factory.SignedInClientAsync();

        using var first = await client.PostAdminFormAsync($"/admin/inquiries/{inquiry.Id}", "/resend");
        using var second = await client.PostAdminFormAsync($"/admin/inquiries/{inquiry.Id}", "/resend");
        var page = await client.GetDocumentAsync($"/admin/inquiries/{inquiry.Id}");

        Assert.Equal(HttpStatusCode.Redirect, second.StatusCode);
        Assert.Equal(InquiryController.AlreadyQueuedMessage, page.QuerySelector(".flash")!.TextContent);
        Assert.Single((await ReloadAsync(mail.Factory, inquiry.Id)).OutboxMessages);
        Assert.DoesNotContain(await AuditForAsync(mail.Factory, inquiry.Id), e => e.Action == AuditActions.NotificationResent);
    }

    [Fact]
    public async Task Marking_spam_and_not_spam_moves_the_inquiry_between_tabs_and_is_audited()
    {
        var tag = Guid.NewGuid().ToString("N")[..8];
        var id = await StoreAsync(i => i.FullName = $"Maybe spam {tag}");
        var (client, _) = await factory.SignedInClientAsync();

        using var spam = await client.PostAdminFormAsync($"/admin/inquiries/{id}", "/spam");
        var inSpamTab = await client.GetDocumentAsync($"/admin/spam?q={tag}");
        Assert.True((await ReloadAsync(id)).IsSuspectedSpam);
        Assert.Single(inSpamTab.QuerySelectorAll("table.inquiries tbody tr"));

        using var notSpam = await client.PostAdminFormAsync($"/admin/inquiries/{id}", "/not-spam");
        var inInbox = await client.GetDocumentAsync($"/admin?q={tag}");

        Assert.False((await ReloadAsync(id)).IsSuspectedSpam);
        Assert.Single(inInbox.QuerySelectorAll("table.inquiries tbody tr"));
        var actions = (await AuditForAsync(id)).Select(e => e.Action).ToList();
        Assert.Contains(AuditActions.MarkedSpam, actions);
        Assert.Contains(AuditActions.MarkedNotSpam, actions);
    }

    [Fact]
    public async Task Deleting_asks_first_then_removes_the_inquiry_its_notes_and_its_emails()
    {
        var id = await StoreAsync();
        var (client, email) = await factory.SignedInClientAsync();
        using (var note = await client.PostAdminFormAsync($"/admin/inquiries/{id}", "/notes", ("text", "A note")))
        {
            Assert.Equal(HttpStatusCode.Redirect, note.StatusCode);
        }

        Assert.NotEmpty((await ReloadAsync(id)).OutboxMessages);

        var confirm = await client.GetDocumentAsync($"/admin/inquiries/{id}/delete");
        Assert.Equal("Delete this inquiry?", confirm.QuerySelector("h1")!.TextContent);
        Assert.NotNull(await factory.WithDbAsync(db => db.Inquiries.FindAsync(id).AsTask()));

        using var response = await client.PostAdminFormAsync($"/admin/inquiries/{id}/delete", "/delete");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/admin", response.Headers.Location!.OriginalString);
        Assert.False(await factory.WithDbAsync(db => db.Inquiries.AnyAsync(i => i.Id == id)));
        Assert.False(await factory.WithDbAsync(db => db.OutboxMessages.AnyAsync(m => m.InquiryId == id)));
        Assert.False(await factory.WithDbAsync(db => db.InquiryNotes.AnyAsync(n => n.InquiryId == id)));
        var entry = (await AuditForAsync(id)).Single(e => e.Action == AuditActions.Deleted);
        Assert.Equal(email, entry.Actor);
        using var gone = await client.GetAsync(new Uri($"/admin/inquiries/{id}", UriKind.Relative));
        Assert.Equal(HttpStatusCode.NotFound, gone.StatusCode);
    }

    [Fact]
    public async Task Deleting_also_deletes_the_pickup_folder_copies_of_its_emails_and_no_others()
    {
        var deleted = await factory.SubmitAsync(ValidInquiry.With(i => i.Email = $"deleted-{Guid.NewGuid():N}@client.test"));
        var kept = await factory.SubmitAsync(ValidInquiry.With(i => i.Email = $"kept-{Guid.NewGuid():N}@client.test"));
        var rows = await factory.OutboxAsync();
        // Every file of the inquiry's outbox rows: sealed, plain or half-written.
        string[] CopiesOf(int inquiryId) => PickupFiles.Of(factory, rows.Where(r => r.InquiryId == inquiryId).Select(r => r.Id));
        string[] WholeCopiesOf(int inquiryId) => PickupFiles.MessagesOf(factory, rows.Where(r => r.InquiryId == inquiryId).Select(r => r.Id));
        await Eventually.TrueAsync(() => Task.FromResult(WholeCopiesOf(deleted.Id).Length == 2 && WholeCopiesOf(kept.Id).Length == 2),
            what: "both inquiries' emails in the pickup folder");
        var (client, _) = await factory.SignedInClientAsync();

        using var response = await client.PostAdminFormAsync($"/admin/inquiries/{deleted.Id}/delete", "/delete");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Empty(CopiesOf(deleted.Id));
        Assert.Equal(2, CopiesOf(kept.Id).Length);
    }

    [Fact]
    public async Task A_post_without_the_antiforgery_token_changes_nothing()
    {
        var id = await StoreAsync();
        var (client, _) = await factory.SignedInClientAsync();

        using var content = new FormUrlEncodedContent([new KeyValuePair<string, string>("status", "Closed")]);
        using var response = await client.PostAsync(new Uri($"/admin/inquiries/{id}/status", UriKind.Relative), content);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(InquiryStatus.New, (await ReloadAsync(id)).Status);
    }

    [Fact]
    public async Task The_audit_page_lists_entries_newest_first()
    {
        var id = await StoreAsync();
        var (client, email) = await factory.SignedInClientAsync();
        await client.GetDocumentAsync($"/admin/inquiries/{id}");
        using var _ = await client.PostAdminFormAsync($"/admin/inquiries/{id}", "/status", ("status", "Closed"));

        var page = await client.GetDocumentAsync("/admin/audit");

        var rows = page.QuerySelectorAll("table.audit tbody tr").Take(3)
            .Select(r => (Who: r.QuerySelector("td[data-label=Who]")!.TextContent, Action: r.QuerySelector("td[data-label=Action]")!.TextContent.Trim()))
            .ToList();
        Assert.Equal((email, AuditActions.StatusChanged), rows[0]);
        Assert.Equal((email, AuditActions.Viewed), rows[1]);
    }
}

[Collection(SharedAdminApp.Name)]
public sealed class AdminInquiryDetailTests(AdminFactory factory) : AdminInquiryDetailTestsBase(factory);

[Collection(SharedAdminAppOnPostgreSql.Name)]
public sealed class AdminInquiryDetailTestsOnPostgreSql(PostgreSqlAdminFactory factory) : AdminInquiryDetailTestsBase(factory);
