using KapPractice.IntegrationTests.Inquiries;
using KapPractice.Web.Infrastructure.Data;
using KapPractice.Web.Infrastructure.Data.Encryption;
using Microsoft.EntityFrameworkCore;

namespace KapPractice.IntegrationTests.AtRest;

/// <summary>rotate-key: a new key seals everything in the background, every inquiry stays readable, the old key ends unused.</summary>
public sealed class KeyRotationTests
{
    [Fact]
    public async Task Rotate_key_leaves_every_inquiry_readable_and_the_old_key_unused()
    {
        using var folders = new TempFolder();
        var names = new List<string>();
        string oldKey;
        string newKey;
        await using (var app = AtRestFactory.On(folders.Sub("data"), folders.Sub("keys")))
        {
            for (var n = 0; n < 3; n++)
            {
                names.Add($"Rotated Client {n}");
                await app.SubmitAsync(InquiryForms.Valid(name: names[^1], email: $"rotated{n}@example.com", change: i => i.Message = $"message {n}"));
            }

            var (admin, _) = await app.SignedInClientAsync();
            var first = (await app.InquiriesAsync())[0].Id;
            using (await admin.PostAdminFormAsync($"/admin/inquiries/{first}", "/notes", ("text", "a note to re-encrypt")))
            {
            }

            oldKey = Assert.Single(AtRest.KeyIds(folders.Sub("keys")));
            Assert.True(AtRest.Contains(AtRest.DatabaseBytes(app.DatabaseFile), AtRest.EnvelopeHeader(oldKey)));
            using var output = new StringWriter();

            Assert.Equal(0, await DataCommands.RotateKeyAsync(app.Services, output));

            newKey = Assert.Single(AtRest.KeyIds(folders.Sub("keys")), id => id != oldKey);
            Assert.StartsWith($"New key {newKey}", output.ToString(), StringComparison.Ordinal);
            await Eventually.TrueAsync(
                async () => !await app.WithDbAsync(db => db.EncryptionKeys.AnyAsync(k => k.KeyId == oldKey)),
                what: "the database to forget the old key");

            // The pass forgets the key, then checkpoints the WAL: the files are clean once that checkpoint has run.
            await Eventually.TrueAsync(
                () => Task.FromResult(!AtRest.Contains(AtRest.DatabaseBytes(app.DatabaseFile), AtRest.EnvelopeHeader(oldKey))),
                what: "no value sealed with the old key left in the database files");
            Assert.True(AtRest.Contains(AtRest.DatabaseBytes(app.DatabaseFile), AtRest.EnvelopeHeader(newKey)));
            foreach (var file in Directory.GetFiles(Path.Combine(folders.Sub("data"), "keys"), "*.xml"))
            {
                Assert.Contains($"{KeyRingXmlEncryptor.KeyIdAttribute}=\"{newKey}\"", await File.ReadAllTextAsync(file), StringComparison.Ordinal);
            }

            Assert.Equal(names, (await app.InquiriesAsync()).Select(i => i.FullName));
            Assert.Equal("a note to re-encrypt", (await app.WithDbAsync(db => db.InquiryNotes.SingleAsync())).Text);
        }

        // Unused indeed: without the old key file, a fresh start reads everything.
        File.Delete(Path.Combine(folders.Sub("keys"), $"data-key-{oldKey}.json"));
        await using var restarted = AtRestFactory.On(folders.Sub("data"), folders.Sub("keys"));
        var (signedIn, _) = await restarted.SignedInClientAsync();
        var list = await signedIn.GetStringAsync(new Uri("/admin", UriKind.Relative));
        Assert.All(names, name => Assert.Contains(name, list, StringComparison.Ordinal));
        var acknowledged = await restarted.SubmitAsync(InquiryForms.Valid(name: "Same Address Again", email: "ROTATED0@example.com"));
        Assert.DoesNotContain(await restarted.OutboxAsync(), m => m.InquiryId == acknowledged && m.Kind == Web.Domain.OutboxKind.ClientAcknowledgement);
    }
}
