using KapPractice.Web.Features.AdminShell;
using KapPractice.Web.Features.SignIn;
using KapPractice.Web.Infrastructure.Audit;
using System.ComponentModel.DataAnnotations;
using System.Text;
using KapPractice.Web.Infrastructure;
using KapPractice.Web.Infrastructure.Data;
using Microsoft.AspNetCore.Identity;

namespace KapPractice.Web.Features.AdminAccounts;

/// <summary>
/// Command-line verbs run instead of the web server: `create-admin --email ADDRESS` makes an admin
/// account with a password read from standard input (no echo on a terminal); `reset-two-factor --email
/// ADDRESS` removes an account's second factors, for someone who lost the phone and the recovery codes.
/// </summary>
public static class AdminCommands
{
    public const string CreateAdminVerb = "create-admin";
    public const string ResetTwoFactorVerb = "reset-two-factor";

    /// <summary>This file's verbs; other features' verbs live in their own files with their own TryRunAsync.</summary>
    private static readonly Dictionary<string, Func<IHost, string[], Task<int>>> Verbs = new(StringComparer.Ordinal)
    {
        [CreateAdminVerb] = RunCreateAdminAsync,
        [ResetTwoFactorVerb] = (app, args) => ResetTwoFactorAsync(app.Services, EmailArgument(args), Console.Out),
    };

    /// <summary>This file's verbs, for the list an unknown verb prints (Program.Verbs).</summary>
    public static IEnumerable<string> VerbNames => Verbs.Keys;

    /// <summary>Runs the verb in <paramref name="args"/> if it is one of these; true means the process should exit (see Environment.ExitCode).</summary>
    public static async Task<bool> TryRunAsync(IHost app, string[] args)
    {
        ArgumentNullException.ThrowIfNull(app);
        ArgumentNullException.ThrowIfNull(args);
        if (args.Length == 0 || !Verbs.TryGetValue(args[0], out var run))
        {
            return false;
        }

        Environment.ExitCode = await run(app, args);
        return true;
    }

    private static async Task<int> RunCreateAdminAsync(IHost app, string[] args)
    {
        var email = EmailArgument(args);
        string? password;
        if (Console.IsInputRedirected)
        {
            password = await Console.In.ReadLineAsync();
        }
        else
        {
            password = ReadHidden("Password (at least 12 characters): ");
            if (password is not null && ReadHidden("Repeat the password: ") != password)
            {
                await Console.Error.WriteLineAsync("The two passwords differ; no account was created.");
                return 1;
            }
        }

        return await CreateAdminAsync(app.Services, email, password, Console.Out);
    }

    /// <summary>Reads the password as the first line of <paramref name="passwordInput"/>.</summary>
    public static async Task<int> CreateAdminAsync(IServiceProvider services, string? email, TextReader passwordInput, TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(passwordInput);
        return await CreateAdminAsync(services, email, await passwordInput.ReadLineAsync(), output);
    }

    /// <summary>Creates the account; returns the process exit code (0 on success) and writes one line of result.</summary>
    public static async Task<int> CreateAdminAsync(IServiceProvider services, string? email, string? password, TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(output);
        email = email?.Trim();
        if (string.IsNullOrEmpty(email) || !new EmailAddressAttribute().IsValid(email))
        {
            await output.WriteLineAsync("Usage: create-admin --email ADDRESS (the password is read from standard input). Give a valid email address.");
            return 2;
        }

        if (string.IsNullOrEmpty(password))
        {
            await output.WriteLineAsync("No password was given on standard input; no account was created.");
            return 1;
        }

        await using var scope = services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<IdentityUser>>();
        if (await users.FindByEmailAsync(email) is not null)
        {
            await output.WriteLineAsync($"An account for {email} already exists; no account was created.");
            return 1;
        }

        var user = new IdentityUser { UserName = email, Email = email, EmailConfirmed = true };
        var result = await users.CreateAsync(user, password);
        if (!result.Succeeded)
        {
            await output.WriteLineAsync("The account was not created: " + string.Join(" ", result.Errors.Select(e => e.Description)));
            return 1;
        }

        var audit = scope.ServiceProvider.GetRequiredService<AuditLog>();
        audit.Add("create-admin command", AuditActions.AdminCreated, detail: $"account: {email}");
        await scope.ServiceProvider.GetRequiredService<KapDbContext>().SaveChangesAsync();
        await output.WriteLineAsync($"Created the admin account {email}. Sign in at {AdminSetup.SignInPath}.");
        return 0;
    }

    /// <summary>
    /// Turns the authenticator off (new key, no recovery codes), removes every passkey, ends every session
    /// and forgets failed sign-ins: the next sign-in is the password, then enrolment. Returns the exit code.
    /// </summary>
    public static async Task<int> ResetTwoFactorAsync(IServiceProvider services, string? email, TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(output);
        email = email?.Trim();
        if (string.IsNullOrEmpty(email))
        {
            await output.WriteLineAsync("Usage: reset-two-factor --email ADDRESS");
            return 2;
        }

        await using var scope = services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<IdentityUser>>();
        var user = await users.FindByEmailAsync(email);
        if (user is null)
        {
            await output.WriteLineAsync($"There is no account for {email}; nothing was changed.");
            return 1;
        }

        await scope.ServiceProvider.GetRequiredService<Authenticator>().RemoveAsync(user);
        var passkeys = await users.GetPasskeysAsync(user);
        foreach (var passkey in passkeys)
        {
            await users.RemovePasskeyAsync(user, passkey.CredentialId);
        }

        var ended = await scope.ServiceProvider.GetRequiredService<AdminSessions>().EndAllAsync(user.Id, SessionEndReasons.TwoFactorReset, exceptSessionId: null, CancellationToken.None);
        await scope.ServiceProvider.GetRequiredService<SignInThrottle>().ForgetAllAsync(user.Id, CancellationToken.None);
        scope.ServiceProvider.GetRequiredService<AuditLog>().Add("reset-two-factor command", AuditActions.SecondFactorReset,
            detail: $"account: {email}; authenticator app off, recovery codes and {passkeys.Count} passkey(s) removed, {ended} session(s) ended");
        await scope.ServiceProvider.GetRequiredService<KapDbContext>().SaveChangesAsync();
        await output.WriteLineAsync($"Two-factor sign-in for {email} is reset: the authenticator app is off, its recovery codes and {passkeys.Count} passkey(s) are removed, and {ended} session(s) are signed out. Sign in with the password to set up a second factor again.");
        return 0;
    }

    private static string? EmailArgument(string[] args) => CommandLine.Option(args, "--email");

    /// <summary>Reads a line from the terminal without showing it.</summary>
    private static string? ReadHidden(string prompt)
    {
        Console.Write(prompt);
        var password = new StringBuilder();
        while (true)
        {
            var key = Console.ReadKey(intercept: true);
            if (key.Key == ConsoleKey.Enter)
            {
                Console.WriteLine();
                return password.ToString();
            }

            if (key.Key == ConsoleKey.Backspace)
            {
                if (password.Length > 0)
                {
                    password.Length--;
                }
            }
            else if (!char.IsControl(key.KeyChar))
            {
                password.Append(key.KeyChar);
            }
        }
    }
}
