using System.Net;
using KapPractice.Web.Features.Admin;
using KapPractice.Web.Domain;
using KapPractice.Web.Infrastructure.Data;
using Microsoft.EntityFrameworkCore;

namespace KapPractice.IntegrationTests.Admin;

public sealed class AdminInquiryDetailTests(AdminFactory factory) : IClassFixture<AdminFactory>
{
    private Task<Inquiry> ReloadAsync(int id) => factory.WithDbAsync(db => db.Inquiries
        .Include(i => i.Notes).Include(i => i.OutboxMessages).AsNoTracking().SingleAsync(i => i.Id == id));

    private Task<List<AuditEntry>> AuditForAsync(int id) => factory.WithDbAsync(db => db.AuditEntries.Where(e => e.InquiryId == id).OrderBy(e => e.Id).ToListAsync());

    [Fact]
    public async Task The_inquiry_page_shows_every_answer_in_readable_groups_with_the_screening_reasons()
    {
        var id = await factory.AddAsync(TestInquiries.Build(i =>
        {
            i.FullName = "José Nguyễn-O'Brien";
            i.Concerns = [Concern.PtsdOrTrauma, Concern.Ocd, Concern.Other];
            i.ConcernOther = "Chronic pain";
            i.Medications = [Medication.Maois, Medication.Lamotrigine];
            i.BloodPressure = BloodPressure.TreatedAndControlled;
            i.Outcome = ScreeningOutcome.NeedsMedicalReview;
            i.ScreeningReasons = ["Takes an MAOI", "Blood pressure is treated"];
        }));
        var (client, _) = await factory.SignedInClientAsync();

        var page = await client.GetDocumentAsync($"/admin/inquiries/{id}");

        Assert.Equal("Inquiry from José Nguyễn-O'Brien", page.QuerySelector("h1")!.TextContent);
        string[] groups = ["Contact", "Basics", "What brings you", "Safety", "Medical screening", "Consents"];
        Assert.Equal(groups, page.QuerySelectorAll("section.answers h2").Select(h => h.TextContent));
        var answers = page.QuerySelectorAll(".answer").ToDictionary(a => a.QuerySelector("dt")!.TextContent, a => a.QuerySelector("dd")!.TextContent);
        Assert.Equal("PTSD or trauma; OCD; Other", answers["Concerns"]);
        Assert.Equal("Chronic pain", answers["Other concern"]);
        Assert.Equal("MAOIs; Lamotrigine", answers["Current medications"]);
        Assert.Equal("Treated and controlled", answers["Blood pressure"]);
        Assert.Equal("Not sure", (await client.GetDocumentAsync($"/admin/inquiries/{await factory.AddAsync(TestInquiries.Build(i => i.InNewYork = YesNoNotSure.NotSure))}"))
            .QuerySelectorAll(".answer").Single(a => a.QuerySelector("dt")!.TextContent == "In New York State during sessions").QuerySelector("dd")!.TextContent);
        Assert.Contains("Needs medical review", page.QuerySelector("#screening-title")!.TextContent, StringComparison.Ordinal);
        Assert.Equal(["Takes an MAOI", "Blood pressure is treated"], page.QuerySelectorAll("section.screening li").Select(li => li.TextContent));
    }

    [Fact]
    public async Task What_a_client_typed_is_html_encoded()
    {
        var id = await factory.AddAsync(TestInquiries.Build(i => { i.FullName = "<script>alert(1)</script>"; i.Message = "<img src=x onerror=alert(2)>"; }));
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
        var id = await factory.AddAsync(TestInquiries.Build());
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
        var id = await factory.AddAsync(TestInquiries.Build(i => i.StatusChangedUtc = DateTime.UtcNow.AddDays(-3)));
        var (client, email) = await factory.SignedInClientAsync();

        using var response = await client.PostAdminFormAsync($"/admin/inquiries/{id}", "/status", ("status", "ConsultationBooked"));
        var page = await client.GetDocumentAsync(response.Headers.Location!.OriginalString);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var stored = await ReloadAsync(id);
        Assert.Equal(InquiryStatus.ConsultationBooked, stored.Status);
        Assert.True(stored.StatusChangedUtc > DateTime.UtcNow.AddMinutes(-1));
        Assert.Equal("Status set to Consultation booked.", page.QuerySelector(".flash")!.TextContent);
        Assert.Equal("ConsultationBooked", page.QuerySelector("#status option[selected]")!.GetAttribute("value"));
        var entry = (await AuditForAsync(id)).Single(e => e.Action == AuditActions.StatusChanged);
        Assert.Equal(email, entry.Actor);
        Assert.Equal("status: ConsultationBooked", entry.Detail);
    }

    [Fact]
    public async Task An_unknown_status_is_refused_and_nothing_changes()
    {
        var id = await factory.AddAsync(TestInquiries.Build());
        var (client, _) = await factory.SignedInClientAsync();

        using var response = await client.PostAdminFormAsync($"/admin/inquiries/{id}", "/status", ("status", "Archived"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(InquiryStatus.New, (await ReloadAsync(id)).Status);
    }

    [Fact]
    public async Task A_note_is_kept_with_its_author_and_time_and_audited_without_its_text()
    {
        var id = await factory.AddAsync(TestInquiries.Build());
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
        var id = await factory.AddAsync(TestInquiries.Build());
        var (client, _) = await factory.SignedInClientAsync();

        using var response = await client.PostAdminFormAsync($"/admin/inquiries/{id}", "/notes", ("text", "   "));
        var page = await Html.ParseAsync(response);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("Enter the note.", page.QuerySelector(".error-summary a[href='#note-text']")!.TextContent);
        Assert.Empty((await ReloadAsync(id)).Notes);
    }

    [Fact]
    public async Task Resending_queues_a_new_pending_notification_with_a_new_message_id()
    {
        var failed = TestInquiries.Notification(OutboxState.Failed, DateTime.UtcNow.AddHours(-1));
        var id = await factory.AddAsync(TestInquiries.Build(i => i.OutboxMessages.Add(failed)));
        var (client, email) = await factory.SignedInClientAsync();

        using var response = await client.PostAdminFormAsync($"/admin/inquiries/{id}", "/resend");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var messages = (await ReloadAsync(id)).OutboxMessages.OrderBy(m => m.Id).ToList();
        Assert.Equal(2, messages.Count);
        Assert.Equal(OutboxState.Failed, messages[0].State);
        var queued = messages[1];
        Assert.Equal(OutboxKind.PractitionerNotification, queued.Kind);
        Assert.Equal("leslie@intuitivecreativeartstherapy.com", queued.Recipient);
        Assert.NotEqual(failed.MessageId, queued.MessageId);
        Assert.True(queued.NextAttemptUtc <= DateTime.UtcNow);
        // The dispatcher was nudged: the new notification goes out (to the pickup folder here) without waiting for the timer.
        await Eventually.TrueAsync(
            async () => (await ReloadAsync(id)).OutboxMessages.Single(m => m.Id == queued.Id).State == OutboxState.Sent,
            what: "the resent notification to be sent");
        Assert.Contains(await AuditForAsync(id), e => e.Action == AuditActions.NotificationResent && e.Actor == email);
    }

    [Fact]
    public async Task Resending_while_a_notification_is_still_queued_adds_no_second_one_and_says_so()
    {
        var waiting = TestInquiries.Notification(OutboxState.Pending, DateTime.UtcNow);
        // A retry that falls due later: the dispatcher leaves it alone during the test.
        waiting.Attempts = 1;
        waiting.NextAttemptUtc = DateTime.UtcNow.AddHours(1);
        var id = await factory.AddAsync(TestInquiries.Build(i => i.OutboxMessages.Add(waiting)));
        var (client, _) = await factory.SignedInClientAsync();

        using var first = await client.PostAdminFormAsync($"/admin/inquiries/{id}", "/resend");
        using var second = await client.PostAdminFormAsync($"/admin/inquiries/{id}", "/resend");
        var page = await client.GetDocumentAsync($"/admin/inquiries/{id}");

        Assert.Equal(HttpStatusCode.Redirect, second.StatusCode);
        Assert.Equal(AdminController.AlreadyQueuedMessage, page.QuerySelector(".flash")!.TextContent);
        Assert.Single((await ReloadAsync(id)).OutboxMessages);
        Assert.DoesNotContain(await AuditForAsync(id), e => e.Action == AuditActions.NotificationResent);
    }

    [Fact]
    public async Task Marking_spam_and_not_spam_moves_the_inquiry_between_tabs_and_is_audited()
    {
        var tag = Guid.NewGuid().ToString("N")[..8];
        var id = await factory.AddAsync(TestInquiries.Build(i => i.FullName = $"Maybe spam {tag}"));
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
        var id = await factory.AddAsync(TestInquiries.Build(i =>
        {
            i.OutboxMessages.Add(TestInquiries.Notification(OutboxState.Sent));
            i.Notes.Add(new InquiryNote { Author = "someone@example.org", Text = "A note", CreatedUtc = DateTime.UtcNow });
        }));
        var (client, email) = await factory.SignedInClientAsync();

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
        var deleted = await factory.SubmitAsync(TestInquiries.Valid(i => i.Email = $"deleted-{Guid.NewGuid():N}@client.test"));
        var kept = await factory.SubmitAsync(TestInquiries.Valid(i => i.Email = $"kept-{Guid.NewGuid():N}@client.test"));
        var rows = await factory.OutboxAsync();
        var pickup = Path.Combine(factory.DataDirectory, "mail-pickup");
        string[] CopiesOf(int inquiryId) => [.. rows.Where(r => r.InquiryId == inquiryId)
            .SelectMany(r => Directory.GetFiles(pickup, $"*-{r.Id}.eml"))];
        await Eventually.TrueAsync(() => Task.FromResult(CopiesOf(deleted.Id).Length == 2 && CopiesOf(kept.Id).Length == 2),
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
        var id = await factory.AddAsync(TestInquiries.Build());
        var (client, _) = await factory.SignedInClientAsync();

        using var content = new FormUrlEncodedContent([new KeyValuePair<string, string>("status", "Closed")]);
        using var response = await client.PostAsync(new Uri($"/admin/inquiries/{id}/status", UriKind.Relative), content);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(InquiryStatus.New, (await ReloadAsync(id)).Status);
    }

    [Fact]
    public async Task The_audit_page_lists_entries_newest_first()
    {
        var id = await factory.AddAsync(TestInquiries.Build());
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
