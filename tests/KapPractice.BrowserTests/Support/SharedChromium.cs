using Microsoft.Playwright;

namespace KapPractice.Tests.Support;

/// <summary>
/// One Playwright driver and one Chromium for the whole test run, started by the first fixture that asks and shared by
/// every class, which each take browser contexts of their own from it. xunit 2 has no assembly fixture, so it is closed
/// when the test process exits.
/// </summary>
public static class SharedChromium
{
    public const string ExecutablePath = "/usr/bin/chromium";

    private static readonly Lazy<Task<IBrowser>> Instance = new(LaunchAsync, LazyThreadSafetyMode.ExecutionAndPublication);

    public static Task<IBrowser> GetAsync() => Instance.Value;

    private static async Task<IBrowser> LaunchAsync()
    {
        // Expect(...) waits for its condition and returns as soon as it holds; Playwright's default of 5 s was too short for a
        // passkey ceremony and its page load on a loaded 2-core machine (a run of `dotnet test` failed so, at a load of 55).
        Assertions.SetDefaultExpectTimeout(15_000);
        var playwright = await Playwright.CreateAsync();
        var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ExecutablePath,
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
        });
        AppDomain.CurrentDomain.ProcessExit += (_, _) =>
        {
            browser.CloseAsync().Wait(TimeSpan.FromSeconds(10));
            playwright.Dispose();
        };
        return browser;
    }
}
