using KapPractice.Web.Domain;
using KapPractice.Web.Features.Content;
using KapPractice.Web.Features.ContentEditing;
using KapPractice.Web.Infrastructure;
using KapPractice.Web.Infrastructure.Audit;
using KapPractice.Web.Infrastructure.Data;
using KapPractice.Web.Infrastructure.Email;
using Microsoft.EntityFrameworkCore;

namespace KapPractice.Web.Features.GoLive;

/// <summary>What she does with an item: follow a link, press a button (a POST), or read how (a setting on the server).</summary>
public enum GoLiveActionKind { Link, Button, Setting }

/// <param name="Id">The element id, and a stable name for tests.</param>
/// <param name="Help">What "done" means and how to get there.</param>
/// <param name="ActionUrl">The link, or the POST address of the button.</param>
/// <param name="Tick">For a tick button: the value it posts (true ticks, false unticks).</param>
public sealed record GoLiveItem(string Id, string Title, bool Done, string Help, GoLiveActionKind Action, string? ActionUrl = null, string? ActionText = null, bool? Tick = null);

/// <summary>
/// The go-live checklist (docs/practitioner-guide.md): each item computed from the site's real state, so it is done when
/// the thing is done, not when a box is ticked — except the two only she can know (templates read, backup copied off
/// the machine), which she ticks and which are kept as marker rows in DataSeeds.
/// </summary>
public static class GoLiveChecklist
{
    public const string BackupCopiedMarker = "go-live:backup-copied";
    public const string TemplatesReadMarker = "go-live:templates-read";
    public const string TestEmailPath = "/admin/go-live/test-email";
    public const string BackupCopiedPath = "/admin/go-live/backup-copied";
    public const string TemplatesReadPath = "/admin/go-live/templates-read";

    /// <summary>Why no test email goes while email is written to the pickup folder.</summary>
    public const string NoSmtpForTestEmail =
        "A test email can be sent once the email server (SMTP) is set: until then email is only written to a folder on the server.";

    public static async Task<IReadOnlyList<GoLiveItem>> ComputeAsync(
        KapDbContext db, EmailOptions email, PracticeOptions practice, IConfiguration configuration, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(email);
        ArgumentNullException.ThrowIfNull(practice);
        ArgumentNullException.ThrowIfNull(configuration);
        var feesPublished = await db.ContentItems.AnyAsync(
            i => i.Kind == ContentKind.Page && i.Slug == SitePages.Fees && i.DeletedUtc == null && i.PublishedRevisionId != null, cancellationToken);
        // Done when a test email has left through the email server, not when the button was pressed: a wrong password or
        // host fails the send, and the item stays to do. No test email is sent while email goes to the pickup folder.
        var smtp = !email.UsesPickupFolder;
        var testEmailSent = smtp && await db.OutboxMessages.AnyAsync(m => m.Kind == OutboxKind.TestEmail && m.State == OutboxState.Sent, cancellationToken);
        var markers = await db.DataSeeds.Where(s => s.Name == BackupCopiedMarker || s.Name == TemplatesReadMarker).Select(s => s.Name).ToListAsync(cancellationToken);
        var bioPhoto = await BioPhotoHasAltTextAsync(db, cancellationToken);
        var allowedHosts = configuration["AllowedHosts"]?.Trim();
        var templatesRead = markers.Contains(TemplatesReadMarker);
        var backupCopied = markers.Contains(BackupCopiedMarker);
        return
        [
            new("go-live-fees", "Fees published", feesPublished,
                "Fill in the fees page with your own fees and publish it. Until then visitors read that fees are given on request.",
                GoLiveActionKind.Link, ContentPaths.List, "Open Site content"),
            new("go-live-smtp", "Email server (SMTP) configured", smtp,
                smtp ? "Email:Smtp:Host is set: the site sends email through your email provider."
                     : "Email:Smtp:Host is not set, so email is written to a folder on the server instead of being sent. Whoever runs the server sets it (docs/configuration.md).",
                GoLiveActionKind.Setting),
            new("go-live-test-email", "Test email sent", testEmailSent,
                smtp ? $"Send a test email to {practice.ContactEmail} and check that it arrives (look in the spam folder too)." : NoSmtpForTestEmail,
                smtp ? GoLiveActionKind.Button : GoLiveActionKind.Setting,
                smtp ? TestEmailPath : null, smtp ? (testEmailSent ? "Send another test email" : "Send a test email") : null),
            new("go-live-site-url", "Site address (Practice:SiteUrl) set", !string.IsNullOrWhiteSpace(practice.SiteUrl),
                "The site's public address, used in canonical links and in the links of emails. Whoever runs the server sets it (docs/configuration.md).",
                GoLiveActionKind.Setting),
            new("go-live-allowed-hosts", "Allowed host names (AllowedHosts) set", !string.IsNullOrEmpty(allowedHosts) && allowedHosts != "*",
                "The site answers only to its own host names, not to any name pointed at the server. Whoever runs the server sets it (docs/configuration.md).",
                GoLiveActionKind.Setting),
            new("go-live-templates", "Default reply templates read", templatesRead,
                "Read the reply templates the site ships with and change any wording that is not yours, then tick this.",
                GoLiveActionKind.Button, TemplatesReadPath, templatesRead ? "Untick: not read yet" : "I have read the templates", !templatesRead),
            new("go-live-backup", "A backup copied off this machine", backupCopied,
                "Copy a backup (and, kept apart from it, the key folder's copy) somewhere other than this server, then tick this (docs/operations.md).",
                GoLiveActionKind.Button, BackupCopiedPath, backupCopied ? "Untick: not copied yet" : "I have copied a backup off the machine", !backupCopied),
            new("go-live-bio-photo", "Bio photo with alt text", bioPhoto,
                "Add a photo to your about page, with alt text describing it, and publish the page.",
                GoLiveActionKind.Link, ContentPaths.List, "Open Site content"),
        ];
    }

    /// <summary>The about page's live revision names an image that exists and has alt text (or is marked decorative).</summary>
    private static async Task<bool> BioPhotoHasAltTextAsync(KapDbContext db, CancellationToken cancellationToken)
    {
        var imageName = await db.ContentItems
            .Where(i => i.Kind == ContentKind.Page && i.Slug == SitePages.About && i.DeletedUtc == null && i.PublishedRevisionId != null)
            .SelectMany(i => i.Revisions.Where(r => r.Id == i.PublishedRevisionId).Select(r => r.ImageName))
            .SingleOrDefaultAsync(cancellationToken);
        return imageName is not null
            && await db.ContentImages.AnyAsync(i => i.Key == imageName && (i.IsDecorative || i.Alt != string.Empty), cancellationToken);
    }
}
