using KapPractice.Web.Domain;
using KapPractice.Web.Features.AdminShell;
using KapPractice.Web.Infrastructure.Data;
using Microsoft.Extensions.DependencyInjection;
using Serilog.Core;

namespace KapPractice.IntegrationTests.InquiryReview;

/// <summary>Serilog's static logger is shared by every app in the process, so this runs alone with the other log readers.</summary>
[Collection(CapturedLogs.Name)]
public sealed class AdminLoggingTests
{
    [Fact]
    public async Task Working_through_an_inquiry_logs_no_client_details_or_typed_credentials()
    {
        var sink = new LogCapture();
        await using var app = new AdminFactory();
        app.WithServices(services => services.AddSingleton<ILogEventSink>(sink));
        var id = (await app.SubmitAsync(ValidInquiry.With(i => { i.FullName = "Quentin Loggable"; i.Email = "quentin.loggable@example.org"; i.Message = "Private history"; }))).Id;
        var (client, _) = await app.SignedInClientAsync();

        await client.GetDocumentAsync($"/admin/inquiries/{id}");
        using var note = await client.PostAdminFormAsync($"/admin/inquiries/{id}", "/notes", ("text", "Private note text"));
        using var status = await client.PostAdminFormAsync($"/admin/inquiries/{id}", "/status", ("status", nameof(InquiryStatus.Contacted)));
        using var resend = await client.PostAdminFormAsync($"/admin/inquiries/{id}", "/resend");
        using var export = await client.GetAsync(new Uri("/admin/export?q=Quentin", UriKind.Relative));
        using var search = await client.GetAsync(new Uri("/admin?q=quentin.loggable", UriKind.Relative));
        using var wrong = await app.CreateHttpsClient().PostSignInAsync("someone@example.org", "typed secret password");
        using var delete = await client.PostAdminFormAsync($"/admin/inquiries/{id}/delete", "/delete");
        Assert.Equal(System.Net.HttpStatusCode.Redirect, delete.StatusCode);

        // Lines carry every structured property too, so a leak through a property fails as well as one in the text.
        var log = string.Join("\n", sink.Lines);
        Assert.Contains($"Inquiry {id} deleted", log, StringComparison.Ordinal);
        foreach (var secret in new[] { "Quentin", "quentin.loggable", "Private history", "Private note text", "typed secret password", "someone@example.org" })
        {
            Assert.DoesNotContain(secret, log, StringComparison.OrdinalIgnoreCase);
        }
    }

    [Fact]
    public async Task Enrolling_signing_in_with_codes_and_changing_the_password_log_no_key_code_or_password()
    {
        var sink = new LogCapture();
        await using var app = new AdminFactory();
        app.WithServices(services => services.AddSingleton<ILogEventSink>(sink));
        var account = await app.NewAdminAsync();
        var code = await account.Phone.NextCodeAsync();
        using var withCode = await app.CreateHttpsClient().SignInWithCodeAsync(account.Email, code);
        using var wrongCode = await app.CreateHttpsClient().SignInWithCodeAsync(account.Email, "000000");
        using var withRecovery = await app.CreateHttpsClient().SignInWithCodeAsync(account.Email, account.RecoveryCodes[0]);
        using var wrongRecovery = await app.CreateHttpsClient().SignInWithCodeAsync(account.Email, "WRONG-CODES");
        const string newPassword = "a brand new passphrase";
        using var changed = await account.Client.PostAdminFormAsync(AdminSetup.SecurityPath + "/password", "/password",
            ("CurrentPassword", AdminClients.Password), ("NewPassword", newPassword), ("ConfirmPassword", newPassword));
        Assert.Equal(System.Net.HttpStatusCode.Redirect, changed.StatusCode);

        var log = string.Join("\n", sink.Lines);
        Assert.Contains("signed in", log, StringComparison.Ordinal);
        var key = account.Phone.Key.Replace(" ", "", StringComparison.Ordinal);
        foreach (var secret in new[] { key, account.Phone.Key, code, account.RecoveryCodes[0], "WRONG-CODES", AdminClients.Password, newPassword, account.Email })
        {
            Assert.DoesNotContain(secret, log, StringComparison.OrdinalIgnoreCase);
        }
    }
}
