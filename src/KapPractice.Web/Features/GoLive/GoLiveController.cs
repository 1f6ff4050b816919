using KapPractice.Web.Domain;
using KapPractice.Web.Features.AdminShell;
using KapPractice.Web.Infrastructure;
using KapPractice.Web.Infrastructure.Audit;
using KapPractice.Web.Infrastructure.Data;
using KapPractice.Web.Infrastructure.Email;
using KapPractice.Web.Infrastructure.Outbox;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace KapPractice.Web.Features.GoLive;

/// <summary>The checklist's buttons: send a test email, and tick (or untick) the two items only she can know.</summary>
[Authorize(Policy = AdminSetup.AdminPolicy)]
public sealed class GoLiveController(
    KapDbContext db, AuditLog audit, OutboxWriter outbox, OutboxSignal signal, UnitOfWork work, IOptions<PracticeOptions> practice, IOptions<EmailOptions> email, TimeProvider time) : Controller
{
    private const string AdminHome = "/admin";

    [HttpPost(GoLiveChecklist.TestEmailPath)]
    [UnitOfWork]
    public IActionResult TestEmail()
    {
        if (email.Value.UsesPickupFolder)
        {
            // Written to a folder on the server, it would test nothing of what sends her clients' emails. The checklist
            // shows no button then; this answers a page opened before, or a post made by hand.
            work.Discard();
            TempData.SetAdminFlash(GoLiveChecklist.NoSmtpForTestEmail);
            return Redirect(AdminHome);
        }

        var address = practice.Value.ContactEmail;
        db.OutboxMessages.Add(outbox.NewMessage(OutboxKind.TestEmail, address));
        audit.Add(User.AuditName(), AuditActions.TestEmailSent, detail: "to the practice's contact address");
        work.AfterCommit(signal.Nudge);
        TempData.SetAdminFlash($"A test email is on its way to {address}. If it has not arrived within a few minutes, look in the spam folder, then ask whoever runs the server to check the email settings.");
        return Redirect(AdminHome);
    }

    [HttpPost(GoLiveChecklist.BackupCopiedPath)]
    [UnitOfWork]
    public Task<IActionResult> BackupCopied([FromForm] bool done, CancellationToken cancellationToken) =>
        TickAsync(GoLiveChecklist.BackupCopiedMarker, done, done ? "Ticked: a backup is copied off the machine." : "Unticked: no backup copied off the machine yet.", cancellationToken);

    [HttpPost(GoLiveChecklist.TemplatesReadPath)]
    [UnitOfWork]
    public Task<IActionResult> TemplatesRead([FromForm] bool done, CancellationToken cancellationToken) =>
        TickAsync(GoLiveChecklist.TemplatesReadMarker, done, done ? "Ticked: the reply templates are read." : "Unticked: the reply templates are not read yet.", cancellationToken);

    private async Task<IActionResult> TickAsync(string marker, bool done, string flash, CancellationToken cancellationToken)
    {
        var row = await db.DataSeeds.SingleOrDefaultAsync(s => s.Name == marker, cancellationToken);
        if (done && row is null)
        {
            db.DataSeeds.Add(new DataSeed { Name = marker, SeededUtc = time.GetUtcNow().UtcDateTime });
        }
        else if (!done && row is not null)
        {
            db.DataSeeds.Remove(row);
        }

        TempData.SetAdminFlash(flash);
        return Redirect(AdminHome);
    }
}
