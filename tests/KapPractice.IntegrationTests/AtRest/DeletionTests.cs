using KapPractice.Web.Domain;
using System.Net;
using KapPractice.IntegrationTests.Inquiries;
using KapPractice.Web.Features.Retention;
using KapPractice.Web.Infrastructure.Email;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace KapPractice.IntegrationTests.AtRest;

/// <summary>A deleted inquiry's bytes leave the database file and its WAL, not only its tables.</summary>
public sealed class DeletionTests
{
    [Fact]
    public async Task Deleting_in_the_admin_area_leaves_none_of_the_inquirys_bytes_in_the_database_files()
    {
        await using var app = new AtRestFactory();
        var marker = AtRest.NewMarker();
        var id = await app.SubmitAsync(InquiryForms.Valid(name: $"Name {marker}", email: $"{marker}@example.com", change: i => i.Message = $"message {marker}"));
        var kept = await app.SubmitAsync(InquiryForms.Valid(name: "Kept Client", email: "kept@example.com"));
        var (admin, _) = await app.SignedInClientAsync();
        using (await admin.PostAdminFormAsync($"/admin/inquiries/{id}", "/notes", ("text", $"note {marker}")))
        {
        }

        await EmailsSentAsync(app);
        var sealedValues = await SealedValuesOfAsync(app, id);
        await AllInFilesAsync(app, sealedValues, "every sealed value in the files before deletion");

        using var deleted = await admin.PostAdminFormAsync($"/admin/inquiries/{id}/delete", "/delete");

        Assert.Equal(HttpStatusCode.Redirect, deleted.StatusCode);
        var files = AtRest.DatabaseBytes(app.DatabaseFile);
        Assert.All(sealedValues, value => Assert.False(AnyPieceIn(files, value), "a piece of a deleted inquiry's sealed value is still in the database file or its WAL"));
        Assert.False(AtRest.ContainsText(files, marker));
        Assert.Equal("Kept Client", (await app.InquiriesAsync()).Single(i => i.Id == kept).FullName);
    }

    [Fact]
    public async Task A_retention_sweep_leaves_none_of_the_deleted_inquirys_bytes_in_the_database_files()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2027, 6, 1, 12, 0, 0, TimeSpan.Zero));
        await using var app = new AtRestFactory();
        // A sweep a day after closing, and a timer that cannot tick meanwhile: this test's own sweep is the one that deletes.
        app.WithSetting("Retention:DeleteClosedAfterDays", "1").WithSetting("Retention:SweepInterval", "7.00:00:00")
            .WithServices(services => services.AddSingleton<TimeProvider>(time));
        var marker = AtRest.NewMarker();
        var id = await app.SubmitAsync(InquiryForms.Valid(name: $"Name {marker}", email: $"{marker}@example.com", change: i => i.Message = $"message {marker}"));
        var (admin, _) = await app.SignedInClientAsync();
        using (await admin.PostAdminFormAsync($"/admin/inquiries/{id}", "/notes", ("text", $"note {marker}")))
        {
        }

        using (await admin.PostAdminFormAsync($"/admin/inquiries/{id}", "/status", ("status", "Closed")))
        {
        }

        await EmailsSentAsync(app);
        var sealedValues = await SealedValuesOfAsync(app, id);
        await AllInFilesAsync(app, sealedValues, "every sealed value in the files before the sweep");
        time.Advance(TimeSpan.FromDays(1) + TimeSpan.FromMinutes(1));

        await using (var scope = app.Services.CreateAsyncScope())
        {
            Assert.Equal(1, await scope.ServiceProvider.GetRequiredService<RetentionSweeper>().SweepAsync(CancellationToken.None));
        }

        var files = AtRest.DatabaseBytes(app.DatabaseFile);
        Assert.All(sealedValues, value => Assert.False(AnyPieceIn(files, value), "a piece of a swept inquiry's sealed value is still in the database file or its WAL"));
        Assert.False(AtRest.ContainsText(files, marker));
    }

    /// <summary>
    /// The precondition, polled: the database file and its WAL are read one after the other, and a background write
    /// with a checkpoint between the two reads can move a page from the one not yet read to the one already read.
    /// </summary>
    private static Task AllInFilesAsync(KapPracticeFactory app, List<byte[]> values, string what) =>
        Eventually.TrueAsync(
            () =>
            {
                var files = AtRest.DatabaseBytes(app.DatabaseFile);
                return Task.FromResult(values.All(value => AnyPieceIn(files, value)));
            },
            what: what);

    /// <summary>
    /// Whether any 16-byte piece of the value is in the files. A padded row is larger than a page, so SQLite may split
    /// a value over an overflow page; each piece is random ciphertext, found only where the value was.
    /// </summary>
    private static bool AnyPieceIn(byte[] files, byte[] value) =>
        Enumerable.Range(0, value.Length / 16).Any(i => AtRest.Contains(files, value.AsSpan(i * 16, 16)));

    private static Task EmailsSentAsync(KapPracticeFactory app) =>
        Eventually.TrueAsync(async () => (await app.OutboxAsync()).All(m => m.State == OutboxState.Sent), what: "every email to be written");

    /// <summary>The inquiry's sealed name, address and message, its note, its emails' recipients and the client's address hash, as stored.</summary>
    private static async Task<List<byte[]>> SealedValuesOfAsync(KapPracticeFactory app, int id)
    {
        var values = await AtRest.RawValuesAsync(app.DatabaseFile, $"SELECT \"FullName\", \"Email\", \"Message\" FROM \"Inquiries\" WHERE \"Id\" = {id}");
        values.AddRange(await AtRest.RawValuesAsync(app.DatabaseFile, $"SELECT \"Text\" FROM \"InquiryNotes\" WHERE \"InquiryId\" = {id}"));
        values.AddRange(await AtRest.RawValuesAsync(app.DatabaseFile, $"SELECT \"Recipient\" FROM \"OutboxMessages\" WHERE \"InquiryId\" = {id}"));
        // The client's address hash (the practice's own is the same on every notification).
        values.AddRange(await AtRest.RawValuesAsync(app.DatabaseFile, $"SELECT \"RecipientHash\" FROM \"OutboxMessages\" WHERE \"InquiryId\" = {id} AND \"Kind\" = 'ClientAcknowledgement'"));
        Assert.Equal(3 + 1 + 2 + 1, values.Count);
        return values;
    }
}
