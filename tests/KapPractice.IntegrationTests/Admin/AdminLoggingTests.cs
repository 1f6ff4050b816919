using System.Collections.Concurrent;
using KapPractice.Web.Infrastructure.Data;
using Microsoft.Extensions.DependencyInjection;
using Serilog.Core;
using Serilog.Events;

namespace KapPractice.IntegrationTests.Admin;

/// <summary>Serilog's static logger is shared by every app in the process, so this runs alone after the parallel tests.</summary>
[CollectionDefinition(nameof(AdminLoggingTests), DisableParallelization = true)]
public sealed class AdminLoggingRunsAlone;

[Collection(nameof(AdminLoggingTests))]
public sealed class AdminLoggingTests
{
    private sealed class CapturingSink : ILogEventSink
    {
        public ConcurrentQueue<string> Lines { get; } = new();

        public void Emit(LogEvent logEvent) => Lines.Enqueue(logEvent.RenderMessage() + " " + logEvent.Exception);
    }

    [Fact]
    public async Task Working_through_an_inquiry_logs_no_client_details_or_typed_credentials()
    {
        var sink = new CapturingSink();
        await using var app = new AdminFactory();
        app.WithServices(services => services.AddSingleton<ILogEventSink>(sink));
        var id = await app.AddAsync(TestInquiries.Build(i => { i.FullName = "Quentin Loggable"; i.Email = "quentin.loggable@example.org"; i.Message = "Private history"; }));
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

        var log = string.Join("\n", sink.Lines);
        Assert.Contains($"Inquiry {id} deleted", log, StringComparison.Ordinal);
        foreach (var secret in new[] { "Quentin", "quentin.loggable", "Private history", "Private note text", "typed secret password", "someone@example.org" })
        {
            Assert.DoesNotContain(secret, log, StringComparison.OrdinalIgnoreCase);
        }
    }
}
