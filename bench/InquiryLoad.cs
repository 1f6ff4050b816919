// Inquiry POST load: CONCURRENCY workers, each loading the form (its own cookies, a fresh antiforgery
// token and fill-time token) and then posting a valid inquiry, for DURATION seconds.
// Only the POST is timed. Prints requests/s and p50/p95/p99 latency of the POSTs.
// Usage: dotnet run bench/InquiryLoad.cs -- BASE_URL CONCURRENCY DURATION_SECONDS
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
    ["SelfHarmThoughts"] = "No", ["PsychoticDisorder"] = "No", ["Bipolar"] = "No", ["PregnantOrBreastfeeding"] = "No",
    ["BloodPressure"] = "No", ["AneurysmOrStroke"] = "No", ["OtherHeartDisease"] = "No", ["EyeOrSkullPressure"] = "No",
    ["BreathingProblems"] = "No", ["LiverBladderOrThyroid"] = "No", ["SubstanceUse"] = "NoConcern",
    ["KetamineHistory"] = "Never", ["Medications"] = "NoneOfThese", ["Prescriber"] = "PsychiatricPrescriber",
    ["WillingMedicalEvaluation"] = "Yes", ["ConsentNotForEmergencies"] = "true", ["ConsentPrivacyNotice"] = "true",
    ["ConsentNoTherapyRelationship"] = "true", ["ConsentMedicalEvaluation"] = "true", ["ConsentContact"] = "true",
};
var tokenPattern = new Regex("name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"");
var fillPattern = new Regex("name=\"FillToken\" value=\"([^\"]+)\"");

var latencies = new ConcurrentBag<double>();
var failures = new ConcurrentDictionary<string, int>();
var stopAt = Stopwatch.GetTimestamp() + (long)(duration.TotalSeconds * Stopwatch.Frequency);
var counter = 0;

async Task Worker(int id)
{
    while (Stopwatch.GetTimestamp() < stopAt)
    {
        using var handler = new SocketsHttpHandler { CookieContainer = new CookieContainer(), AllowAutoRedirect = false };
        using var client = new HttpClient(handler) { BaseAddress = new Uri(baseUrl) };
        var page = await client.GetStringAsync("/inquiry");
        var n = Interlocked.Increment(ref counter);
        var fields = new Dictionary<string, string>(answers)
        {
            ["FullName"] = $"Load Client {n}",
            ["Email"] = $"load{n}@example.com",
            ["__RequestVerificationToken"] = tokenPattern.Match(page).Groups[1].Value,
            ["FillToken"] = fillPattern.Match(page).Groups[1].Value,
        };
        using var content = new FormUrlEncodedContent(fields);
        var started = Stopwatch.GetTimestamp();
        using var response = await client.PostAsync("/inquiry", content);
        var elapsedMs = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        if ((int)response.StatusCode is >= 200 and < 400) latencies.Add(elapsedMs);
        else failures.AddOrUpdate(((int)response.StatusCode).ToString(), 1, (_, c) => c + 1);
    }
}

var wall = Stopwatch.StartNew();
var postTime = 0.0;
await Task.WhenAll(Enumerable.Range(0, concurrency).Select(Worker));
wall.Stop();

var sorted = latencies.OrderBy(x => x).ToArray();
double P(double q) => sorted.Length == 0 ? double.NaN : sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(q * sorted.Length) - 1)];
postTime = sorted.Sum();
Console.WriteLine($"concurrency: {concurrency}, duration: {wall.Elapsed.TotalSeconds:0.0} s (each iteration: GET form, then timed POST)");
Console.WriteLine($"posts stored (2xx/3xx): {sorted.Length}, other answers: {failures.Values.Sum()} {string.Join(" ", failures.Select(f => $"[{f.Key}: {f.Value}]"))}");
Console.WriteLine($"posts/s (whole run, GETs included in the loop): {sorted.Length / wall.Elapsed.TotalSeconds:0.0}");
Console.WriteLine($"posts/s (POST time only, {concurrency} in flight): {concurrency * sorted.Length / Math.Max(postTime / 1000, 1e-9):0.0}");
Console.WriteLine($"POST latency ms: p50 {P(0.50):0.0}, p95 {P(0.95):0.0}, p99 {P(0.99):0.0}, max {(sorted.Length > 0 ? sorted[^1] : double.NaN):0.0}");
return failures.IsEmpty && sorted.Length > 0 ? 0 : 1;
