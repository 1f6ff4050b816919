// Inquiry POST load. First loads PREPARED forms, each as its own visitor (cookies, a fresh antiforgery
// token and fill-time token); then posts them as valid inquiries, CONCURRENCY at a time, for up to
// DURATION seconds. Only the POSTs are timed. Prints requests/s and p50/p95/p99 latency.
// Usage: dotnet run --file bench/InquiryLoad.cs -- BASE_URL CONCURRENCY DURATION_SECONDS [PREPARED]
// MATCH_NAME and MATCH_EVERY (environment) name every MATCH_EVERY-th client MATCH_NAME, for a search to find.
// MESSAGE_CHARS (environment) fills the free-text message with that many characters (none by default; the form takes
// at most 2,000, and refuses every post beyond that, which the "other answers" count then shows).
using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Text.RegularExpressions;

var baseUrl = args.Length > 0 ? args[0].TrimEnd('/') : "http://127.0.0.1:5000";
var concurrency = args.Length > 1 ? int.Parse(args[1]) : 16;
var duration = TimeSpan.FromSeconds(args.Length > 2 ? double.Parse(args[2]) : 20);

var answers = new Dictionary<string, string>
{
    ["PreferredContact"] = "Email", ["VoicemailOk"] = "No", ["Adult"] = "Yes", ["InNewYork"] = "Yes",
    ["SessionPreference"] = "Either", ["Concerns"] = "Depression", ["TreatmentsTried"] = "TalkTherapy",
    ["SelfHarmThoughts"] = "No", ["PsychoticDisorder"] = "No", ["FamilyPsychoticDisorder"] = "No", ["Bipolar"] = "No",
    ["DissociativeDisorder"] = "No", ["PregnantOrBreastfeeding"] = "No", ["SeizuresOrEpilepsy"] = "No",
    ["BloodPressure"] = "No", ["AneurysmOrStroke"] = "No", ["OtherHeartDisease"] = "No", ["EyeOrSkullPressure"] = "No",
    ["BreathingProblems"] = "No", ["LiverBladderOrThyroid"] = "No", ["SubstanceUse"] = "NoConcern", ["SubstanceUseLastProblem"] = "Never",
    ["KetamineHistory"] = "Never", ["Medications"] = "NoneOfThese", ["Prescriber"] = "PsychiatricPrescriber",
    ["WillingMedicalEvaluation"] = "Yes", ["ConsentNotForEmergencies"] = "true", ["ConsentPrivacyNotice"] = "true",
    ["ConsentNoTherapyRelationship"] = "true", ["ConsentMedicalEvaluation"] = "true", ["ConsentContact"] = "true",
};
var matchName = Environment.GetEnvironmentVariable("MATCH_NAME");
var matchEvery = int.TryParse(Environment.GetEnvironmentVariable("MATCH_EVERY"), out var every) ? every : 0;
var messageChars = int.TryParse(Environment.GetEnvironmentVariable("MESSAGE_CHARS"), out var chars) ? chars : 0;
if (messageChars > 0)
{
    answers["Message"] = string.Concat(Enumerable.Repeat("A long message of the kind a client writes. ", messageChars / 44 + 1))[..messageChars];
}

var tokenPattern = new Regex("name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"");
var fillPattern = new Regex("name=\"FillToken\" value=\"([^\"]+)\"");

var latencies = new ConcurrentBag<double>();
var failures = new ConcurrentDictionary<string, int>();
var prepared = new ConcurrentQueue<(string Cookie, Dictionary<string, string> Fields)>();
var counter = 0;
// One connection per client in flight, as real visitors would have; each visitor's cookies are carried by hand.
using var http = new HttpClient(new SocketsHttpHandler { UseCookies = false, AllowAutoRedirect = false, MaxConnectionsPerServer = concurrency })
{
    BaseAddress = new Uri(baseUrl),
};

// Phase 1: each future POST gets its own visitor (antiforgery cookie) and a fresh form (antiforgery and fill-time tokens).
async Task Prepare(int count)
{
    for (var i = 0; i < count; i++)
    {
        using var response = await http.GetAsync("/inquiry");
        var page = await response.Content.ReadAsStringAsync();
        var cookie = string.Join("; ", response.Headers.TryGetValues("Set-Cookie", out var set) ? set.Select(c => c.Split(';')[0]) : []);
        var n = Interlocked.Increment(ref counter);
        prepared.Enqueue((cookie, new Dictionary<string, string>(answers)
        {
            ["FullName"] = matchEvery > 0 && n % matchEvery == 0 ? $"{matchName} {n}" : $"Load Client {n}",
            ["Email"] = $"load{n}@example.com",
            ["__RequestVerificationToken"] = tokenPattern.Match(page).Groups[1].Value,
            ["FillToken"] = fillPattern.Match(page).Groups[1].Value,
        }));
    }
}

// Phase 2: CONCURRENCY posts in flight until DURATION is up or the prepared forms run out; only the POSTs are timed.
async Task Post(long stopAt)
{
    while (Stopwatch.GetTimestamp() < stopAt && prepared.TryDequeue(out var visit))
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/inquiry") { Content = new FormUrlEncodedContent(visit.Fields) };
        request.Headers.Add("Cookie", visit.Cookie);
        var started = Stopwatch.GetTimestamp();
        using var response = await http.SendAsync(request);
        var elapsedMs = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        // Stored means redirected to the thank-you page; a 200 is the form shown again with its errors.
        if ((int)response.StatusCode is >= 300 and < 400) latencies.Add(elapsedMs);
        else failures.AddOrUpdate(((int)response.StatusCode).ToString(), 1, (_, c) => c + 1);
    }
}

var toPrepare = args.Length > 3 ? int.Parse(args[3]) : 4000;
await Task.WhenAll(Enumerable.Range(0, concurrency).Select(_ => Prepare(toPrepare / concurrency)));
var wall = Stopwatch.StartNew();
var stopAt = Stopwatch.GetTimestamp() + (long)(duration.TotalSeconds * Stopwatch.Frequency);
await Task.WhenAll(Enumerable.Range(0, concurrency).Select(_ => Post(stopAt)));
wall.Stop();

var sorted = latencies.OrderBy(x => x).ToArray();
double P(double q) => sorted.Length == 0 ? double.NaN : sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(q * sorted.Length) - 1)];
Console.WriteLine($"inquiry POSTs: {concurrency} in flight for {wall.Elapsed.TotalSeconds:0.0} s, each a visitor of its own with a fresh antiforgery token (forms loaded beforehand)");
Console.WriteLine($"stored (redirected to the thank-you page): {sorted.Length}, other answers: {failures.Values.Sum()} {string.Join(" ", failures.Select(f => $"[{f.Key}: {f.Value}]"))}");
Console.WriteLine($"requests/s: {sorted.Length / wall.Elapsed.TotalSeconds:0.0}");
Console.WriteLine($"latency ms: p50 {P(0.50):0.0}, p95 {P(0.95):0.0}, p99 {P(0.99):0.0}, max {(sorted.Length > 0 ? sorted[^1] : double.NaN):0.0}");
return failures.IsEmpty && sorted.Length > 0 ? 0 : 1;
