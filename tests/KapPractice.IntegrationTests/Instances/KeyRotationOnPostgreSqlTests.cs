using KapPractice.IntegrationTests.AtRest;
using KapPractice.IntegrationTests.Inquiries;
using KapPractice.Web.Infrastructure;
using KapPractice.Web.Infrastructure.Data;
using KapPractice.Web.Infrastructure.Data.Encryption;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace KapPractice.IntegrationTests.Instances;

/// <summary>rotate-key on PostgreSQL: rows re-encrypted by primary key (one column or several), the key ring in the database resealed.</summary>
public sealed class KeyRotationOnPostgreSqlTests
{
    [Fact]
    public async Task Rotate_key_re_encrypts_every_row_and_the_data_protection_keys_and_forgets_the_old_key()
    {
        await using var app = new KapPracticeFactory { Provider = DatabaseProvider.PostgreSql }.WithSetting("Spam:MinimumFillTime", "00:00:00");
        var names = new List<string>();
        for (var n = 0; n < 3; n++)
        {
            names.Add($"Rotated Client {n}");
            await app.SubmitAsync(InquiryForms.Valid(name: names[^1], email: $"rotated{n}@example.com"));
        }

        // An enrolled admin: the authenticator key is in AspNetUserTokens, whose primary key has three columns.
        var (admin, _) = await app.SignedInClientAsync();
        var first = (await app.InquiriesAsync())[0].Id;
        using (await admin.PostAdminFormAsync($"/admin/inquiries/{first}", "/notes", ("text", "a note to re-encrypt")))
        {
        }

        var oldKey = app.Services.GetRequiredService<DataKeyRing>().Current.Name;
        using var output = new StringWriter();

        Assert.Equal(0, await DataCommands.RotateKeyAsync(app.Services, output));

        await Eventually.TrueAsync(
            async () => !await app.WithDbAsync(db => db.EncryptionKeys.AnyAsync(k => k.KeyId == oldKey)),
            what: "the database to forget the old key");
        var newKey = app.Services.GetRequiredService<DataKeyRing>().Current.Name;
        Assert.NotEqual(oldKey, newKey);
        await using (var scope = app.Services.CreateAsyncScope())
        {
            Assert.Equal(0, await scope.ServiceProvider.GetRequiredService<ClientDataReencryptor>().CountToResealAsync(CancellationToken.None));
        }

        var ring = await app.WithDbAsync(db => ((PostgreSqlKapDbContext)db).DataProtectionKeys.Select(k => k.Xml!).ToListAsync());
        Assert.NotEmpty(ring);
        Assert.All(ring, xml => Assert.Contains($"{KeyRingXmlEncryptor.KeyIdAttribute}=\"{newKey}\"", xml, StringComparison.Ordinal));
        Assert.Equal(names, (await app.InquiriesAsync()).Select(i => i.FullName));
        Assert.Equal("a note to re-encrypt", (await app.WithDbAsync(db => db.InquiryNotes.SingleAsync())).Text);
        var tokens = await app.WithDbAsync(db => db.UserTokens.CountAsync());
        Assert.True(tokens > 0);
    }

    [Fact]
    public async Task Rows_an_instance_seals_with_the_old_key_after_another_finished_the_rotation_are_re_sealed_at_its_next_look()
    {
        await using var first = new KapPracticeFactory { Provider = DatabaseProvider.PostgreSql }.WithSetting("Spam:MinimumFillTime", "00:00:00");
        _ = first.Services;
        // On a clock that stands still, its own look at the key folder (every minute) does not come during the test.
        var standing = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var second = new KapPracticeFactory { Provider = DatabaseProvider.PostgreSql }.WithSetting("Spam:MinimumFillTime", "00:00:00");
        second.SharingDatabaseWith(first).WithServices(services => services.AddSingleton<TimeProvider>(standing));
        _ = second.Services;
        await first.SubmitAsync(ValidInquiry.Form() with { Email = "before@example.com" });
        var oldKey = first.Services.GetRequiredService<DataKeyRing>().Current;

        using (var output = new StringWriter())
        {
            Assert.Equal(0, await DataCommands.RotateKeyAsync(first.Services, output));
        }

        var rotation = first.Services.GetRequiredService<KeyRotationService>();
        await Eventually.TrueAsync(
            async () => await rotation.RunOnceAsync(CancellationToken.None) && !await first.WithDbAsync(db => db.EncryptionKeys.AnyAsync(k => k.KeyId == oldKey.Name)),
            what: "the first instance to finish the rotation and forget the old key");

        // The second instance has not looked at the key folder since: it still seals with the old key.
        Assert.Equal(oldKey.Id, second.Services.GetRequiredService<DataKeyRing>().Current.Id);
        var late = await second.SubmitAsync(ValidInquiry.Form() with { Email = "late@example.com" });
        Assert.Equal(oldKey.Id, await OutcomeKeyAsync(first, late.Id));

        Assert.True(await rotation.RunOnceAsync(CancellationToken.None));

        var newKey = first.Services.GetRequiredService<DataKeyRing>().Current;
        Assert.Equal(newKey.Id, await OutcomeKeyAsync(first, late.Id));
        await using (var scope = first.Services.CreateAsyncScope())
        {
            Assert.Equal(0, await scope.ServiceProvider.GetRequiredService<ClientDataReencryptor>().CountToResealAsync(CancellationToken.None));
        }

        Assert.Equal(["before@example.com", "late@example.com"], (await first.InquiriesAsync()).Select(i => i.Email).Order());
    }

    [Fact]
    public async Task An_instance_without_the_new_key_does_not_seal_the_rows_back_under_its_old_one()
    {
        await using var first = new KapPracticeFactory { Provider = DatabaseProvider.PostgreSql }.WithSetting("Spam:MinimumFillTime", "00:00:00");
        _ = first.Services;
        var stored = await first.SubmitAsync(ValidInquiry.Form());
        // The second instance gets a copy of the key folder as it was before the rotation.
        var ownKeys = Path.Combine(first.RootDirectory, "keys-of-the-second");
        Directory.CreateDirectory(ownKeys);
        foreach (var file in Directory.GetFiles(first.KeyDirectory))
        {
            File.Copy(file, Path.Combine(ownKeys, Path.GetFileName(file)));
        }

        await using var second = new KapPracticeFactory { Provider = DatabaseProvider.PostgreSql };
        second.SharingDatabaseWith(first).WithSetting("Encryption:KeyDirectory", ownKeys);
        _ = second.Services;
        using (var output = new StringWriter())
        {
            Assert.Equal(0, await DataCommands.RotateKeyAsync(first.Services, output));
        }

        var newKey = first.Services.GetRequiredService<DataKeyRing>().Current;
        Assert.True(await first.Services.GetRequiredService<KeyRotationService>().RunOnceAsync(CancellationToken.None));

        Assert.False(await second.Services.GetRequiredService<KeyRotationService>().RunOnceAsync(CancellationToken.None));

        Assert.Equal(newKey.Id, await OutcomeKeyAsync(first, stored.Id));
        Assert.Equal(stored.FullName, (await first.InquiriesAsync()).Single().FullName);
    }

    /// <summary>The key id the stored outcome of an inquiry names (its envelope's bytes 2 to 5).</summary>
    private static Task<uint> OutcomeKeyAsync(KapPracticeFactory app, int id) => app.WithDbAsync(async db =>
    {
        await db.Database.OpenConnectionAsync();
        try
        {
            await using var command = db.Database.GetDbConnection().CreateCommand();
            command.CommandText = $"SELECT \"Outcome\" FROM \"Inquiries\" WHERE \"Id\" = {id}";
            return DataKeyRing.KeyIdOf((byte[])(await command.ExecuteScalarAsync())!);
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    });
}
