using System.Net;
using AngleSharp.Dom;
using KapPractice.IntegrationTests.Inquiries;
using KapPractice.Web.Domain;
using KapPractice.Web.Infrastructure;
using KapPractice.Web.Infrastructure.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace KapPractice.IntegrationTests.Instances;

/// <summary>Two instances of the site on one PostgreSQL database (docs/deployment.md).</summary>
public sealed class MultiInstanceTests
{
    private const string Practice = "practice@kap.test";

    private static KapPracticeFactory Instance(SmtpTestServer smtp, KapPracticeFactory? first = null, int inquiryLimit = 100_000, Action<KapPracticeFactory>? configure = null)
    {
        var app = new KapPracticeFactory { Provider = DatabaseProvider.PostgreSql };
        if (first is not null)
        {
            app.SharingDatabaseWith(first);
        }

        smtp.Configure(app)
            .WithSetting("Practice:ContactEmail", Practice)
            .WithSetting("Email:From", "no-reply@kap.test")
            .WithSetting("Spam:MinimumFillTime", "00:00:00")
            .WithSetting("Admin:SignInPermitLimit", "1000")
            .WithSetting("RateLimiting:InquiryFloodLimit", "100000")
            .WithSetting("RateLimiting:InquiryPermitLimit", inquiryLimit.ToString(System.Globalization.CultureInfo.InvariantCulture));
        configure?.Invoke(app);
        _ = app.Services; // started now, so the first instance has its key ring and seeded data before the second starts
        return app;
    }

    [Fact]
    public async Task Fifty_inquiries_posted_alternately_to_two_instances_make_exactly_one_hundred_emails_none_twice_with_one_stopped_mid_way()
    {
        await using var smtp = await SmtpTestServer.StartNewAsync();
        await using var first = Instance(smtp);
        var second = Instance(smtp, first);
        var addresses = Enumerable.Range(1, 50).Select(i => $"client{i}@example.com").ToList();
        try
        {
            for (var i = 0; i < addresses.Count; i++)
            {
                if (i == 25)
                {
                    // Stopped mid-way (as for an update): what it had queued is sent by the one still running.
                    await second.DisposeAsync();
                }

                var target = i % 2 == 0 || i >= 25 ? first : second;
                await target.SubmitAsync(ValidInquiry.Form() with { Email = addresses[i] });
            }
        }
        finally
        {
            await second.DisposeAsync();
        }

        var received = await smtp.WaitForCountAsync(100, TimeSpan.FromMinutes(2));
        // A little longer, so a late second copy would be seen.
        await Task.Delay(TimeSpan.FromSeconds(3));
        received = smtp.Received;

        Assert.Equal(100, received.Count);
        Assert.Equal(100, received.Select(m => m.Message.MessageId).Distinct().Count());
        Assert.Equal(50, received.Count(m => m.EnvelopeTo.Contains(Practice)));
        Assert.All(addresses, address => Assert.Single(received, m => m.EnvelopeTo.Contains(address)));
        var outbox = await first.OutboxAsync();
        Assert.Equal(100, outbox.Count);
        // A send the stop interrupted counts a second attempt, by the instance that finished it; it still arrived once.
        Assert.All(outbox, row => Assert.Equal(OutboxState.Sent, row.State));
    }

    [Fact]
    public async Task A_form_token_and_cookie_from_one_instance_are_accepted_by_the_other()
    {
        await using var smtp = await SmtpTestServer.StartNewAsync();
        await using var first = Instance(smtp);
        await using var second = Instance(smtp, first);
        // A browser that loaded the form from one instance and posts it to the other.
        using var loader = first.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { HandleCookies = false });
        using var loaded = await loader.GetAsync(new Uri(InquiryForms.Url, UriKind.Relative));
        var cookie = string.Join("; ", loaded.Headers.GetValues("Set-Cookie").Select(c => c.Split(';')[0]));
        var form = (await Html.ParseAsync(loaded)).QuerySelector<AngleSharp.Html.Dom.IHtmlFormElement>("form.inquiry-form")!;
        using var poster = second.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { HandleCookies = false, AllowAutoRedirect = false });
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(InquiryForms.Url, UriKind.Relative))
        {
            Content = new FormUrlEncodedContent(Html.FieldsOf(form, InquiryForms.Valid(email: "across@example.com"))),
        };
        request.Headers.Add("Cookie", cookie);
        using var posted = await poster.SendAsync(request);

        InquiryForms.AssertRedirectedToConfirmation(posted);
        Assert.Single(await second.InquiriesAsync());
    }

    [Fact]
    public async Task An_admin_signed_in_on_one_instance_is_signed_in_on_the_other_and_signed_out_on_both()
    {
        await using var smtp = await SmtpTestServer.StartNewAsync();
        await using var first = Instance(smtp);
        await using var second = Instance(smtp, first);
        var account = await first.NewAdminAsync();
        using var signedIn = await account.Client.SignInWithCodeAsync(account.Email, await account.Phone.NextCodeAsync());
        var cookie = signedIn.AdminCookie();

        using (var onSecond = await second.GetWithCookieAsync(cookie, "/admin/audit"))
        {
            Assert.Equal(HttpStatusCode.OK, onSecond.StatusCode);
        }

        using var signOut = await account.Client.PostAdminFormAsync("/admin", "/admin/sign-out");
        using var replayed = await second.GetWithCookieAsync(cookie, "/admin/audit");
        Assert.Equal(HttpStatusCode.Redirect, replayed.StatusCode);
        Assert.StartsWith("https://localhost/admin/sign-in", replayed.Headers.Location!.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_stored_inquiry_limit_counts_what_every_instance_stored_and_keeps_no_address()
    {
        await using var smtp = await SmtpTestServer.StartNewAsync();
        await using var first = Instance(smtp, inquiryLimit: 2);
        await using var second = Instance(smtp, first, inquiryLimit: 2);

        using var one = await first.NewClient().SubmitInquiryAsync(InquiryForms.Valid(email: "one@example.com"));
        using var two = await second.NewClient().SubmitInquiryAsync(InquiryForms.Valid(email: "two@example.com"));
        using var three = await first.NewClient().SubmitInquiryAsync(InquiryForms.Valid(email: "three@example.com"));

        InquiryForms.AssertRedirectedToConfirmation(one);
        InquiryForms.AssertRedirectedToConfirmation(two);
        Assert.Equal(HttpStatusCode.TooManyRequests, three.StatusCode);
        Assert.Equal(2, await first.CountAsync());
        var permits = await first.WithDbAsync(db => db.InquiryPermits.ToListAsync());
        Assert.Equal(2, permits.Count);
        Assert.All(permits, p => Assert.Equal(32, p.ClientHash.Length));
    }

    [Fact]
    public async Task Posts_sent_at_once_to_both_instances_from_one_address_store_exactly_its_one_permit_and_the_rest_get_429()
    {
        await using var smtp = await SmtpTestServer.StartNewAsync();
        await using var first = Instance(smtp, inquiryLimit: 1, configure: app => app.WithClientAddresses());
        await using var second = Instance(smtp, first, inquiryLimit: 1, configure: app => app.WithClientAddresses());
        // Each instance stores one inquiry, and takes its permit, at a time (InquiryWriteGate, in-process only), so between
        // the two instances only PostgreSQL's advisory lock (AcrossInstances.LockSectionAsync, the intake's section) keeps
        // the count per address. Eight posts from
        // one address, each from a new client (its own cookies and form token), alternately to the two instances, all in
        // flight at once; a round for each of four addresses, as one round can miss the race. Both instances use one
        // database, so first.CountAsync() counts them all.
        string[] addresses = ["203.0.113.41", "203.0.113.42", "203.0.113.43", "203.0.113.44"];
        foreach (var address in addresses)
        {
            var posts = Enumerable.Range(0, 8)
                .Select(i => (i % 2 == 0 ? first : second).NewClient().From(address).SubmitInquiryAsync(InquiryForms.Valid(email: $"{i}-{address}@example.com")));

            var answers = await Task.WhenAll(posts);

            Assert.Single(answers, InquiryForms.IsRedirectToConfirmation);
            foreach (var answer in answers.Where(a => !InquiryForms.IsRedirectToConfirmation(a)))
            {
                await InquiryForms.AssertRefusedByInquiryLimitAsync(answer);
            }
        }

        Assert.Equal(addresses.Length, await first.CountAsync());
        Assert.Equal(addresses.Length, await first.WithDbAsync(db => db.InquiryPermits.CountAsync()));
    }

    [Fact]
    public async Task A_scheduled_job_runs_on_one_instance_per_turn_and_moves_when_its_holder_stops_renewing()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2027, 1, 4, 9, 0, 0, TimeSpan.Zero));
        await using var app = new KapPracticeFactory { Provider = DatabaseProvider.PostgreSql }.WithServices(s => s.AddSingleton<TimeProvider>(time));
        var period = TimeSpan.FromHours(1);

        async Task<bool> ClaimAsync(string holder)
        {
            await using var scope = app.Services.CreateAsyncScope();
            return await scope.ServiceProvider.GetRequiredService<OnceAcrossInstances>().TryClaimAsync("digest", period, holder, CancellationToken.None);
        }

        var turns = new List<(bool A, bool B)> { (await ClaimAsync("a"), await ClaimAsync("b")) };
        time.Advance(period);
        turns.Add((await ClaimAsync("a"), await ClaimAsync("b")));
        // "a" stops: its last lease runs out within the period, and "b" takes over.
        time.Advance(period);
        turns.Add((false, await ClaimAsync("b")));
        turns.Add((await ClaimAsync("a"), false));

        Assert.Equal([(true, false), (true, false), (false, true), (false, false)], turns);
    }

    [Fact]
    public async Task A_message_another_instance_is_sending_is_left_to_it_until_its_claim_runs_out()
    {
        await using var smtp = new SmtpTestServer(); // down at first
        var time = new FakeTimeProvider(new DateTimeOffset(2027, 1, 4, 9, 0, 0, TimeSpan.Zero));
        await using var app = new KapPracticeFactory { Provider = DatabaseProvider.PostgreSql };
        smtp.Configure(app)
            .WithSetting("Email:SendClientAcknowledgement", "false")
            .WithSetting("Spam:MinimumFillTime", "00:00:00")
            .WithServices(s => s.AddSingleton<TimeProvider>(time));
        var inquiry = await app.SubmitAsync(ValidInquiry.Form());
        await app.WaitForRowAsync(inquiry.Id, OutboxKind.PractitionerNotification, r => r.Attempts == 1 && r.State == OutboxState.Pending);
        // As if another instance had just claimed it and were sending it now.
        await app.WithDbAsync(db => db.OutboxMessages.ExecuteUpdateAsync(s => s
            .SetProperty(m => m.State, OutboxState.Sending)
            .SetProperty(m => m.LastAttemptUtc, time.GetUtcNow().UtcDateTime)));
        await smtp.StartAsync();

        // A new instance starting meanwhile (its start-up recovery included) leaves the live claim alone.
        await using var restarted = new KapPracticeFactory { Provider = DatabaseProvider.PostgreSql }.SharingDatabaseWith(app);
        smtp.Configure(restarted).WithServices(s => s.AddSingleton<TimeProvider>(time));
        _ = restarted.Services;
        time.Advance(TimeSpan.FromMinutes(1));
        await Task.Delay(TimeSpan.FromSeconds(2));
        Assert.Empty(smtp.Received);
        Assert.Equal(OutboxState.Sending, (await restarted.OutboxAsync()).Single().State);

        time.Advance(TimeSpan.FromMinutes(11));
        await smtp.WaitForCountAsync(1);
        await restarted.WaitForRowAsync(inquiry.Id, OutboxKind.PractitionerNotification, r => r.State == OutboxState.Sent);
        await Task.Delay(TimeSpan.FromSeconds(1));
        Assert.Single(smtp.Received);
    }
}
