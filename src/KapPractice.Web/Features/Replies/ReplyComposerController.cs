using KapPractice.Web.Domain;
using KapPractice.Web.Features.AdminShell;
using KapPractice.Web.Features.Booking;
using KapPractice.Web.Features.FollowUp;
using KapPractice.Web.Infrastructure;
using KapPractice.Web.Infrastructure.Audit;
using KapPractice.Web.Infrastructure.Data;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace KapPractice.Web.Features.Replies;

/// <summary>Filling the reply composer in from a template and referrals (a draft: nothing is sent here).</summary>
[Authorize(Policy = AdminSetup.AdminPolicy)]
public sealed class ReplyComposerController(
    KapDbContext db,
    AuditLog audit,
    IOptions<PracticeOptions> practiceOptions,
    IServiceProvider services,
    TimeProvider time,
    PracticeClock clock) : ReplyControllerBase(db, audit, clock)
{
    public const string BookingLinkNote = $"{ReplyPlaceholders.BookingLink} stays as it is here; it is filled in with the client's private booking link when you send the reply.";

    /// <summary>The inquiry page with the composer filled from a template (works without script: the template form is a GET of ids).</summary>
    [HttpGet("/admin/inquiries/{id:int}/reply")]
    [UnitOfWork]
    public async Task<IActionResult> UseTemplate(int id, int? template, [FromQuery(Name = "referral")] int[]? referral, CancellationToken cancellationToken)
    {
        if (!ModelState.IsValid)
        {
            return BadRequest();
        }

        var inquiry = await Db.LoadInquiryForAdminAsync(id, cancellationToken);
        if (inquiry is null)
        {
            return NotFound();
        }

        var referralIds = (referral ?? []).Distinct().ToList();
        var chosen = await Db.Referrals.AsNoTracking().Where(r => referralIds.Contains(r.Id)).OrderBy(r => r.Name).ThenBy(r => r.Id).ToListAsync(cancellationToken);
        var picked = template is { } templateId ? await Db.ReplyTemplates.AsNoTracking().FirstOrDefaultAsync(t => t.Id == templateId, cancellationToken) : null;
        // The composer shows the whole inquiry, so filling in a template counts as opening it.
        inquiry.MarkViewed(time.GetUtcNow().UtcDateTime);
        Audit.Add(User.AuditName(), AuditActions.Viewed, id);

        var draft = new ReplyDraft(null, null, template, [.. chosen.Select(r => r.Id)]);
        if (ClientContact.IsRefused(inquiry))
        {
            return Page(inquiry, draft with { Problem = ClientContact.SpamProblem }, StatusCodes.Status409Conflict);
        }

        if (chosen.Count != referralIds.Count)
        {
            return Page(inquiry, draft with { Problem = "A chosen referral no longer exists; choose again from the list." }, StatusCodes.Status400BadRequest);
        }

        if (picked is null)
        {
            return Page(inquiry, draft with { TemplateId = null, Problem = template is null ? "Choose a template." : "That template no longer exists; choose another." }, StatusCodes.Status400BadRequest);
        }

        var notes = new List<string>();
        string? bookingLink = null;
        if (ReplyPlaceholders.Uses(picked.Body, ReplyPlaceholders.BookingLink))
        {
            if (services.GetService<IBookingLinks>() is not null)
            {
                // Left as written, and signed only when the reply is sent: this is a draft she may never send, and a
                // new link made now would cut off the one the client already holds (only an inquiry's newest works).
                bookingLink = ReplyPlaceholders.BookingLink;
                notes.Add(BookingLinkNote);
            }
            else
            {
                notes.Add($"Booking links are not available yet; {ReplyPlaceholders.BookingLink} was left out.");
            }
        }

        if (ReplyPlaceholders.Uses(picked.Body, ReplyPlaceholders.Referrals) && chosen.Count == 0)
        {
            notes.Add($"No referral was chosen, so the {ReplyPlaceholders.Referrals} line was left out.");
        }

        var practice = practiceOptions.Value;
        var values = new PlaceholderValues(ReplyPlaceholders.FirstNameOf(inquiry.FullName), practice.Name, practice.ContactEmail, chosen, bookingLink);
        var subjectValues = values with { FirstName = ReplyPlaceholders.FirstName };
        return Page(inquiry, draft with
        {
            Subject = ReplyPlaceholders.Fill(picked.Subject, subjectValues),
            Body = ReplyPlaceholders.Fill(picked.Body, values),
            Notes = notes,
        }, StatusCodes.Status200OK);
    }
}
