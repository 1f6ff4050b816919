using Deque.AxeCore.Commons;
using Deque.AxeCore.Playwright;
using Microsoft.Playwright;

namespace KapPractice.Tests.Support;

/// <summary>
/// The app on a real Kestrel port, driven by Debian's Chromium through Playwright. One app per fixture: each class (or
/// collection) gets its own database, and each test its own browser context (cookies and storage). The browser itself is
/// one for the whole test run (<see cref="SharedChromium"/>): starting Playwright's driver and Chromium for every class
/// cost more than some of the tests. A test class that takes a fixture implements <see cref="IAsyncLifetime"/> and returns
/// <see cref="ClosePagesAsync"/> from its <c>DisposeAsync</c>, so each test's pages close when it ends
/// (<c>BrowserTestClassesTests</c> checks every class does).
/// </summary>
public class BrowserFixture : IAsyncLifetime
{
    public const string ChromiumPath = SharedChromium.ExecutablePath;

    private readonly List<IBrowserContext> _contexts = [];

    public KapPracticeFactory App { get; } = new();

    public IBrowser Browser { get; private set; } = null!;

    public Uri BaseAddress { get; private set; } = null!;

    /// <summary>
    /// Where the screenshots and printed PDFs of the pages go, to look at: a "screenshots" folder under the folder named by
    /// KAP_ARTIFACTS. Unset (as in `.ci/run`, which keeps no files), none is taken: they assert nothing, and taking them cost
    /// about a tenth of the browser suite's CPU in the one run that measured it (docs/performance.md).
    /// </summary>
    public static string? ArtifactsDirectory { get; } = Environment.GetEnvironmentVariable("KAP_ARTIFACTS") is { Length: > 0 } folder
        ? Path.Combine(folder, "screenshots")
        : null;

    public virtual async Task InitializeAsync()
    {
        // The browser starts (the first time) while the app does.
        var browser = SharedChromium.GetAsync();
        App.UseKestrel(0);
        App.StartServer();
        BaseAddress = App.ClientOptions.BaseAddress;
        if (ArtifactsDirectory is not null)
        {
            Directory.CreateDirectory(ArtifactsDirectory);
        }

        Browser = await browser;
    }

    /// <summary>A fresh page in its own context (cookies and storage), sized as a phone or a desktop.</summary>
    public Task<IPage> NewPageAsync(int width = 1280, int height = 900) => NewPageAsync(new BrowserNewContextOptions
    {
        BaseURL = BaseAddress.ToString(),
        ViewportSize = new ViewportSize { Width = width, Height = height },
        IsMobile = width < 600,
        HasTouch = width < 600,
        DeviceScaleFactor = 1,
    });

    /// <summary>A fresh page in a context of its own made with <paramref name="options"/>; closed when the test ends (<see cref="ClosePagesAsync"/>).</summary>
    public async Task<IPage> NewPageAsync(BrowserNewContextOptions options)
    {
        var context = await Browser.NewContextAsync(options);
        lock (_contexts)
        {
            _contexts.Add(context);
        }

        // A test that closes its context itself leaves nothing for ClosePagesAsync, and nothing to report at the end.
        context.Close += (_, _) =>
        {
            lock (_contexts)
            {
                _contexts.Remove(context);
            }
        };

        return await context.NewPageAsync();
    }

    /// <summary>Saves the page (the whole of it, or the first screen) as NAME.png in <see cref="ArtifactsDirectory"/>, when one is set.</summary>
    public static async Task ScreenshotAsync(IPage page, string name, bool fullPage = true)
    {
        ArgumentNullException.ThrowIfNull(page);
        if (ArtifactsDirectory is not null)
        {
            await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(ArtifactsDirectory, name + ".png"), FullPage = fullPage });
        }
    }

    /// <summary>Saves the page as printed (US Letter) as NAME.pdf in <see cref="ArtifactsDirectory"/>, when one is set.</summary>
    public static async Task PrintToPdfAsync(IPage page, string name)
    {
        ArgumentNullException.ThrowIfNull(page);
        if (ArtifactsDirectory is not null)
        {
            await page.PdfAsync(new PagePdfOptions { Path = Path.Combine(ArtifactsDirectory, name + ".pdf"), Format = "Letter" });
        }
    }

    /// <summary>
    /// Runs axe with the WCAG 2.0, 2.1 and 2.2 A and AA rules and fails listing every violation. Every rule runs on every
    /// element; only the violations are reported node by node (axe's resultTypes): the passed and inapplicable rules are
    /// still listed, with one example element each, which spares axe building a selector for every element that passed.
    /// </summary>
    /// <remarks>
    /// axe runs in the page itself (the binding's "legacy" mode, marked obsolete but kept): its default mode opens a second
    /// page in a context of its own and loads axe there again to merge frames' results, which tripled the time of every check
    /// (328 s of the browser suite's 580 CPU-seconds on 2 cores, against 102 s in the page; docs/performance.md). The site's
    /// pages have no frames, so there is nothing to merge; a page that ever has one fails here rather than go half-checked.
    /// </remarks>
    public static async Task AssertNoAxeViolationsAsync(IPage page)
    {
        ArgumentNullException.ThrowIfNull(page);
        Assert.True(page.Frames.Count == 1, $"{page.Url} has frames: axe checks only the page itself here");
#pragma warning disable CS0618 // the in-page mode: see the remarks
        var results = await page.RunAxeLegacy(context: null, AxeOptions(), axeSource: null);
#pragma warning restore CS0618
        Assert.True(results.Passes.Length > 0, $"axe ran no checks on {page.Url}");
        var violations = results.Violations.Select(v =>
            $"{v.Id} ({v.Impact}): {v.Help} at {string.Join(", ", v.Nodes.Select(n => n.Target.ToString()))}").ToList();
        if (violations.Count > 0)
        {
            Assert.Fail($"{page.Url} has accessibility violations:\n{string.Join("\n", violations)}");
        }
    }

    /// <summary>The WCAG 2.0, 2.1 and 2.2 A and AA rules, with only the violations reported node by node.</summary>
    public static AxeRunOptions AxeOptions() => new()
    {
        RunOnly = new RunOnlyOptions { Type = "tag", Values = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"] },
        ResultTypes = [ResultType.Violations],
    };

    /// <summary>
    /// Closes every page this fixture has opened: each test class calls it when a test ends (xunit runs the tests that share a
    /// fixture one at a time, so they are that test's pages). Headless Chromium keeps working for a context left open: alone,
    /// eight idle ones took most of a core between them (docs/performance.md, "Test run time"); in the suite the difference
    /// was inside the machine's spread, but the open contexts no longer grow with a class's tests.
    /// </summary>
    public async Task ClosePagesAsync()
    {
        Interlocked.Increment(ref _testEnds);
        await CloseOpenContextsAsync();
    }

    private int _testEnds;

    /// <summary>How many times a test's end closed this fixture's pages (for <c>BrowserTestClassesTests</c>).</summary>
    public int TestEnds => Volatile.Read(ref _testEnds);

    private async Task<int> CloseOpenContextsAsync()
    {
        // The browser stays for the other classes; only this fixture's pages go (closing a closed context does nothing).
        IBrowserContext[] contexts;
        lock (_contexts)
        {
            contexts = [.. _contexts];
            _contexts.Clear();
        }

        // Every one is closed even if one fails to; the failures are reported together afterwards.
        var failures = new List<Exception>();
        foreach (var context in contexts)
        {
            try
            {
                await context.CloseAsync();
            }
#pragma warning disable CA1031 // collected and thrown below
            catch (Exception e)
#pragma warning restore CA1031
            {
                failures.Add(e);
            }
        }

        if (failures.Count > 0)
        {
            throw new AggregateException("Closing the test's browser contexts failed", failures);
        }

        return contexts.Length;
    }

    public virtual async Task DisposeAsync()
    {
        int leftOpen;
        try
        {
            leftOpen = await CloseOpenContextsAsync();
        }
        finally
        {
            await App.DisposeAsync();
        }

        if (leftOpen > 0)
        {
            throw new InvalidOperationException(
                $"{leftOpen} browser context(s) of a {GetType().Name} were still open after its tests: a test class that takes this fixture must implement IAsyncLifetime and return ClosePagesAsync() from DisposeAsync (as PublicPagesTests does).");
        }
    }
}
