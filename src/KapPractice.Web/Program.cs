using KapPractice.Web.Features.AccountSecurity;
using KapPractice.Web.Features.AdminAccounts;
using KapPractice.Web.Features.AdminShell;
using KapPractice.Web.Features.Booking;
using KapPractice.Web.Features.Content;
using KapPractice.Web.Features.FollowUp;
using KapPractice.Web.Features.GoLive;
using KapPractice.Web.Features.Inquiries;
using KapPractice.Web.Features.Replies;
using KapPractice.Web.Features.Retention;
using KapPractice.Web.Features.SignIn;
using KapPractice.Web.Infrastructure;
using KapPractice.Web.Infrastructure.Data;
using KapPractice.Web.Infrastructure.Email;
using KapPractice.Web.Infrastructure.Logging;
using KapPractice.Web.Infrastructure.Outbox;
using KapPractice.Web.Infrastructure.Performance;
using KapPractice.Web.Infrastructure.Security;

// Before anything reads settings or touches the data folder: a word that is no verb must not start the site.
if (CommandLine.IsUnknownVerb(args, Program.Verbs, Console.Error))
{
    Environment.ExitCode = CommandLine.UsageExitCode;
    return;
}

// Start-up runs on one core (docs/performance.md); meanwhile a thread-pool thread gives the content renderer its first
// use, which the published copy built at host start would otherwise pay for (ContentRenderer.WarmUp). Nothing waits for
// it and it keeps nothing: if it loses the race or fails, the copy's own build does the work or reports the failure, and
// removing it costs only start-up time. Command-line verbs and the tests' apps run it too.
_ = Task.Run(ContentRenderer.WarmUp);

var builder = WebApplication.CreateBuilder(args);

builder.AddLogging();
builder.AddData();
builder.AddWebSecurity();
builder.AddEmail();
builder.AddOutbox();
builder.AddSite();
builder.AddPageCompression();
builder.AddContent();
builder.AddInquiries();
builder.AddAdmin();
builder.AddRetention();
builder.AddSignIn();
builder.AddAccountSecurity();
builder.AddReplies();
builder.AddFollowUp();
builder.AddBooking();
builder.AddGoLive();

var app = builder.Build();

if (await DataCommands.TryRestoreAsync(app, args)) return; // restore fills an empty data folder, before anything opens it
await app.Services.PrepareDataAsync();
if (await AdminCommands.TryRunAsync(app, args)) return; // a command-line verb ran instead of the server
if (await DataCommands.TryRunAsync(app, args)) return;
if (await MailCommands.TryRunAsync(app, args)) return;
if (await ContentCommands.TryRunAsync(app, args)) return;

app.UseSite();

await app.RunAsync();

/// <summary>The entry point, visible to WebApplicationFactory in the tests.</summary>
public partial class Program
{
    /// <summary>Every command-line verb, each named where it runs.</summary>
    public static IReadOnlyList<string> Verbs { get; } = [.. AdminCommands.VerbNames, .. DataCommands.VerbNames, .. MailCommands.VerbNames, .. ContentCommands.VerbNames];
}
