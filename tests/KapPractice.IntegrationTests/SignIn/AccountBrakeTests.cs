using KapPractice.Web.Features.AdminShell;
using KapPractice.Web.Infrastructure.Audit;
using System.Net;
using AngleSharp.Dom;
using AngleSharp.Html.Dom;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using KapPractice.Web.Features.SignIn;

namespace KapPractice.IntegrationTests.SignIn;

/// <summary>The account-wide brake counts passwords sent together one after another, whatever addresses they come from.</summary>
public class AccountBrakeTests
{
    private const int Guesses = 50;

    protected virtual AdminFactory NewApp() => new();

    [Fact]
    public async Task Fifty_wrong_passwords_sent_at_once_from_fifty_addresses_are_judged_as_fifty_against_the_brake()
    {
        await using var app = NewApp();
        app.WithClientAddresses();
        var account = await app.NewAdminAsync(app.CreateHttpsClient().From("198.51.100.1"));
        var brake = app.Services.GetRequiredService<IOptions<AdminOptions>>().Value.AccountBrakeAttempts;
        Assert.Equal(20, brake);

        // Every form first, then every post at once, each from its own address (none reaches its own lock).
        var posts = new List<(HttpClient Client, FormUrlEncodedContent Form)>();
        for (var guess = 1; guess <= Guesses; guess++)
        {
            var client = app.CreateHttpsClient().From($"203.0.113.{guess}");
            var page = await client.GetDocumentAsync(AdminSetup.SignInPath);
            var form = page.QuerySelector<IHtmlFormElement>($"form[action='{AdminSetup.SignInPath}']")!;
            posts.Add((client, new FormUrlEncodedContent(Html.FieldsOf(form, [new("Email", account.Email), new("Password", $"guess number {guess}")]))));
        }

        var answers = await Task.WhenAll(posts.Select(p => p.Client.PostAsync(new Uri(AdminSetup.SignInPath, UriKind.Relative), p.Form)));

        Assert.All(answers, a => Assert.Equal(HttpStatusCode.BadRequest, a.StatusCode));
        foreach (var answer in answers)
        {
            Assert.Contains(SignInMessages.Failed, (await Html.ParseAsync(answer)).QuerySelector(".error-summary")!.TextContent, StringComparison.Ordinal);
        }

        var failed = await app.WithDbAsync(db => db.AuditEntries
            .Where(e => e.Actor == account.Email && e.Action == AuditActions.SignInFailed)
            .Select(e => e.Detail!)
            .ToListAsync());
        // Exactly as many were judged as the brake allows; every later one found the brake on and was not judged.
        Assert.Equal(brake, failed.Count(d => d == "wrong password"));
        Assert.Equal(Guesses - brake, failed.Count(d => d == "wrong password (account brake on)"));
        var userId = await app.WithDbAsync(db => db.Users.Where(u => u.Email == account.Email).Select(u => u.Id).SingleAsync());
        Assert.Equal(Guesses, await app.WithDbAsync(db => db.SignInFailures.CountAsync(f => f.UserId == userId)));

        // And the brake is on: the right password alone, from yet another address, gets the same answer.
        using var rightAlone = await app.CreateHttpsClient().From("203.0.113.200").PostSignInAsync(account.Email, AdminClients.Password);
        Assert.Equal(HttpStatusCode.BadRequest, rightAlone.StatusCode);
        Assert.Contains(SignInMessages.Failed, (await Html.ParseAsync(rightAlone)).QuerySelector(".error-summary")!.TextContent, StringComparison.Ordinal);

        foreach (var (client, form) in posts)
        {
            form.Dispose();
            client.Dispose();
        }

        foreach (var answer in answers)
        {
            answer.Dispose();
        }
    }
}

/// <summary>The same on PostgreSQL, where the section is an advisory lock rather than SQLite's single writer.</summary>
public sealed class AccountBrakeTestsOnPostgreSql : AccountBrakeTests
{
    protected override AdminFactory NewApp() => new PostgreSqlAdminFactory();
}
