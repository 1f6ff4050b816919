using System.Net;
using KapPractice.Web.Features.Admin;
using Microsoft.AspNetCore.Mvc.Testing;

namespace KapPractice.Tests.Support;

/// <summary>Admin accounts and signed-in clients for the admin tests.</summary>
public static class AdminClients
{
    public const string Password = "correct horse battery staple";

    /// <summary>An https client (the admin cookie is Secure) that does not follow redirects and keeps cookies.</summary>
    public static HttpClient CreateHttpsClient(this KapPracticeFactory factory)
    {
        ArgumentNullException.ThrowIfNull(factory);
        return factory.CreateClient(new WebApplicationFactoryClientOptions { BaseAddress = new Uri("https://localhost"), AllowAutoRedirect = false });
    }

    /// <summary>Creates the account through the create-admin command's own code, the password given as standard input.</summary>
    public static async Task CreateAdminAsync(this KapPracticeFactory factory, string email, string password = Password)
    {
        ArgumentNullException.ThrowIfNull(factory);
        using var output = new StringWriter();
        var exitCode = await AdminCommands.CreateAdminAsync(factory.Services, email, new StringReader(password + "\n"), output);
        Assert.True(exitCode == 0, output.ToString());
    }

    public static async Task<HttpResponseMessage> PostSignInAsync(this HttpClient client, string email, string password) =>
        await client.SubmitFormAsync("/admin/sign-in", [new("Email", email), new("Password", password)], "form[action='/admin/sign-in']");

    /// <summary>A new account and an https client signed in with it.</summary>
    public static async Task<(HttpClient Client, string Email)> SignedInClientAsync(this KapPracticeFactory factory)
    {
        var email = $"admin-{Guid.NewGuid():N}@example.org";
        await factory.CreateAdminAsync(email);
        var client = factory.CreateHttpsClient();
        using var response = await client.PostSignInAsync(email, Password);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        return (client, email);
    }

    /// <summary>Posts the form on <paramref name="pageUrl"/> whose action ends with <paramref name="actionSuffix"/>.</summary>
    public static Task<HttpResponseMessage> PostAdminFormAsync(this HttpClient client, string pageUrl, string actionSuffix, params (string Name, string Value)[] values) =>
        client.SubmitFormAsync(pageUrl, values.Select(v => new KeyValuePair<string, string>(v.Name, v.Value)), $"form[action$='{actionSuffix}']");
}

/// <summary>The app for admin tests: a sign-in limit high enough for many sign-ins from the one test client, and inquiries stored at once.</summary>
public sealed class AdminFactory : KapPracticeFactory
{
    public AdminFactory()
    {
        WithSetting("Admin:SignInPermitLimit", "1000");
        WithSetting("Spam:MinimumFillTime", "00:00:00");
    }
}
