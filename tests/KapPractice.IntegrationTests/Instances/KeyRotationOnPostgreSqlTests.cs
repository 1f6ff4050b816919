using KapPractice.IntegrationTests.AtRest;
using KapPractice.IntegrationTests.Inquiries;
using KapPractice.Web.Infrastructure;
using KapPractice.Web.Infrastructure.Data;
using KapPractice.Web.Infrastructure.Data.Encryption;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

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
}
