using KapPractice.Web.Domain;
using AngleSharp.Dom;
using AngleSharp.Html.Dom;
using KapPractice.Web.Infrastructure.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace KapPractice.IntegrationTests.Inquiries;

/// <summary>
/// One load of the form is good for one inquiry: a fill-time token sent again, or sent back after the
/// maximum age, is a spam signal. Nothing is refused or lost: such posts are stored as suspected spam,
/// and an urgent one is still filed as urgent.
/// </summary>
[Collection(SharedInquiryApp.Name)]
public sealed class FillTokenReuseTests(InquiryAppFactory factory) : IAsyncLifetime
{
    public Task InitializeAsync() => factory.ResetAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task One_form_load_posted_five_times_stores_one_inquiry_and_four_suspected_spam()
    {
        var email = $"{Guid.NewGuid():N}@example.com";
        var client = factory.NewClient();
        var fields = await LoadFormAsync(client, InquiryForms.Valid(email: email));

        for (var i = 0; i < 5; i++)
        {
            InquiryForms.AssertRedirectedToConfirmation(await PostAsync(client, fields));
        }

        var stored = (await factory.InquiriesAsync()).Where(i => i.Email == email).ToList();
        Assert.Equal(5, stored.Count);
        var first = Assert.Single(stored, i => !i.IsSuspectedSpam);
        Assert.Equal(stored.Min(i => i.Id), first.Id);
        Assert.NotEmpty(first.OutboxMessages);
        Assert.All(stored.Where(i => i.IsSuspectedSpam), spam =>
        {
            Assert.Contains("already", spam.SpamReason, StringComparison.Ordinal);
            Assert.Empty(spam.OutboxMessages);
        });
    }

    [Fact]
    public async Task An_urgent_inquiry_sent_twice_from_one_form_load_is_never_filed_as_spam()
    {
        var email = $"{Guid.NewGuid():N}@example.com";
        var client = factory.NewClient();
        var fields = await LoadFormAsync(client, InquiryForms.Valid(email: email, change: i => i.SelfHarmThoughts = YesNo.Yes));

        InquiryForms.AssertRedirectedToConfirmation(await PostAsync(client, fields));
        InquiryForms.AssertRedirectedToConfirmation(await PostAsync(client, fields));

        var stored = (await factory.InquiriesAsync()).Where(i => i.Email == email).OrderBy(i => i.Id).ToList();
        Assert.Equal(2, stored.Count);
        Assert.All(stored, i => Assert.False(i.IsSuspectedSpam));
        Assert.All(stored, i => Assert.Equal(ScreeningOutcome.Urgent, i.Outcome));
        Assert.Null(stored[0].SpamReason);
        Assert.Contains("already", stored[1].SpamReason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_form_loaded_again_gives_a_new_token_that_is_not_spam()
    {
        var client = factory.NewClient();
        var emails = new[] { $"{Guid.NewGuid():N}@example.com", $"{Guid.NewGuid():N}@example.com" };

        foreach (var email in emails)
        {
            InquiryForms.AssertRedirectedToConfirmation(await client.SubmitInquiryAsync(InquiryForms.Valid(email: email)));
        }

        var stored = (await factory.InquiriesAsync()).Where(i => emails.Contains(i.Email)).ToList();
        Assert.Equal(2, stored.Count);
        Assert.All(stored, i => Assert.False(i.IsSuspectedSpam, i.SpamReason));
    }

    [Fact]
    public async Task A_token_used_before_a_restart_is_still_known_after_it()
    {
        var email = $"{Guid.NewGuid():N}@example.com";
        await using var before = new InquiryAppFactory();
        await using var after = new InquiryAppFactory().WithSetting("Data:Directory", before.DataDirectory).WithSetting("Encryption:KeyDirectory", before.KeyDirectory);
        var browser = before.CreateClient(new() { AllowAutoRedirect = false, HandleCookies = false });
        using var get = await browser.GetAsync(new Uri(InquiryForms.Url, UriKind.Relative));
        var cookies = string.Join("; ", get.Headers.GetValues("Set-Cookie").Select(c => c.Split(';')[0]));
        var page = await Html.ParseAsync(get);
        var fields = Html.FieldsOf(page.QuerySelector<IHtmlFormElement>("form.inquiry-form")!, InquiryForms.Valid(email: email));

        InquiryForms.AssertRedirectedToConfirmation(await PostWithCookiesAsync(before, fields, cookies));
        InquiryForms.AssertRedirectedToConfirmation(await PostWithCookiesAsync(after, fields, cookies));

        var stored = (await after.InquiriesAsync()).Where(i => i.Email == email).OrderBy(i => i.Id).ToList();
        Assert.Equal([false, true], stored.Select(i => i.IsSuspectedSpam));
    }

    [Theory]
    [InlineData(23 * 60, false)]
    [InlineData(24 * 60 + 1, true)]
    public async Task A_form_sent_back_after_the_maximum_age_of_a_day_is_suspected_spam(int minutes, bool spam)
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 4, 1, 8, 0, 0, TimeSpan.Zero));
        await using var app = new InquiryAppFactory().WithServices(services => services.AddSingleton<TimeProvider>(time));
        var client = app.NewClient();
        var fields = await LoadFormAsync(client, InquiryForms.Valid());

        time.Advance(TimeSpan.FromMinutes(minutes));
        InquiryForms.AssertRedirectedToConfirmation(await PostAsync(client, fields));

        var stored = Assert.Single(await app.InquiriesAsync());
        Assert.Equal(spam, stored.IsSuspectedSpam);
        if (spam)
        {
            Assert.Contains("maximum is 1 day", stored.SpamReason, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task The_maximum_age_is_a_setting()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 4, 1, 8, 0, 0, TimeSpan.Zero));
        await using var app = new InquiryAppFactory()
            .WithSetting("Spam:MaximumFillTime", "01:00:00")
            .WithServices(services => services.AddSingleton<TimeProvider>(time));
        var client = app.NewClient();
        var fields = await LoadFormAsync(client, InquiryForms.Valid());

        time.Advance(TimeSpan.FromMinutes(61));
        InquiryForms.AssertRedirectedToConfirmation(await PostAsync(client, fields));

        Assert.Contains("maximum is 1 hour", Assert.Single(await app.InquiriesAsync()).SpamReason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Used_tokens_are_forgotten_once_they_could_no_longer_be_accepted()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 4, 1, 8, 0, 0, TimeSpan.Zero));
        await using var app = new InquiryAppFactory().WithServices(services => services.AddSingleton<TimeProvider>(time));
        var client = app.NewClient();

        InquiryForms.AssertRedirectedToConfirmation(await client.SubmitInquiryAsync(InquiryForms.Valid()));
        Assert.Equal(1, await RememberedTokensAsync(app));
        time.Advance(TimeSpan.FromDays(1) + TimeSpan.FromMinutes(1));
        InquiryForms.AssertRedirectedToConfirmation(await client.SubmitInquiryAsync(InquiryForms.Valid()));

        Assert.Equal(1, await RememberedTokensAsync(app));
        Assert.All(await app.InquiriesAsync(), i => Assert.False(i.IsSuspectedSpam, i.SpamReason));
    }

    [Fact]
    public async Task A_save_that_fails_leaves_the_form_load_unused_and_no_permit_taken_so_the_same_page_sent_again_is_stored_and_emailed()
    {
        var failOnce = new FailFirstInquirySave();
        await using var app = new InquiryAppFactory().WithServices(services => services.ConfigureDbContext<KapDbContext>(options => options.AddInterceptors(failOnce)));
        var email = $"{Guid.NewGuid():N}@example.com";
        var client = app.NewClient();
        var fields = await LoadFormAsync(client, InquiryForms.Valid(email: email));

        using (var failed = await PostAsync(client, fields))
        {
            Assert.Equal(System.Net.HttpStatusCode.InternalServerError, failed.StatusCode);
        }

        Assert.Empty(await app.InquiriesAsync());
        Assert.Equal(0, await RememberedTokensAsync(app));
        // The submission limit's permit was taken in the same transaction: it counts only inquiries stored.
        Assert.Equal(0, await app.WithDbAsync(db => db.InquiryPermits.CountAsync()));

        InquiryForms.AssertRedirectedToConfirmation(await PostAsync(client, fields));

        var stored = Assert.Single(await app.InquiriesAsync());
        Assert.Equal(1, await app.WithDbAsync(db => db.InquiryPermits.CountAsync()));
        Assert.False(stored.IsSuspectedSpam, stored.SpamReason);
        Assert.Contains(stored.OutboxMessages, m => m.Kind == OutboxKind.PractitionerNotification);
    }

    /// <summary>A disk that fails once: the first save of a new inquiry throws before anything is written.</summary>
    private sealed class FailFirstInquirySave : SaveChangesInterceptor
    {
        private int _failed;

        public override ValueTask<InterceptionResult<int>> SavingChangesAsync(DbContextEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default)
        {
            ArgumentNullException.ThrowIfNull(eventData);
            if (eventData.Context!.ChangeTracker.Entries<Inquiry>().Any(e => e.State == EntityState.Added) && Interlocked.Exchange(ref _failed, 1) == 0)
            {
                throw new IOException("Simulated disk failure while saving an inquiry.");
            }

            return base.SavingChangesAsync(eventData, result, cancellationToken);
        }
    }

    private static Task<int> RememberedTokensAsync(KapPracticeFactory app) =>
        app.WithDbAsync(db => db.Database.SqlQuery<int>($"SELECT COUNT(*) AS Value FROM UsedFillTokens").SingleAsync());

    private static async Task<List<KeyValuePair<string, string>>> LoadFormAsync(HttpClient client, List<KeyValuePair<string, string>> answers)
    {
        var page = await client.GetDocumentAsync(InquiryForms.Url);
        return Html.FieldsOf(page.QuerySelector<IHtmlFormElement>("form.inquiry-form")!, answers);
    }

    private static async Task<HttpResponseMessage> PostAsync(HttpClient client, List<KeyValuePair<string, string>> fields)
    {
        using var content = new FormUrlEncodedContent(fields);
        return await client.PostAsync(new Uri(InquiryForms.Url, UriKind.Relative), content);
    }

    private static async Task<HttpResponseMessage> PostWithCookiesAsync(KapPracticeFactory app, List<KeyValuePair<string, string>> fields, string cookies)
    {
        var client = app.CreateClient(new() { AllowAutoRedirect = false, HandleCookies = false });
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(InquiryForms.Url, UriKind.Relative)) { Content = new FormUrlEncodedContent(fields) };
        request.Headers.Add("Cookie", cookies);
        return await client.SendAsync(request);
    }
}
