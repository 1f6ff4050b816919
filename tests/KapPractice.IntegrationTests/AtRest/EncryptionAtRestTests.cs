using KapPractice.Web.Domain;
using System.Net;
using KapPractice.IntegrationTests.Inquiries;
using KapPractice.Web.Infrastructure.Data.Encryption;

namespace KapPractice.IntegrationTests.AtRest;

/// <summary>What a client typed is ciphertext in the files, readable only through the app with its key.</summary>
public sealed class EncryptionAtRestTests
{
    private const string Phone = "+1 (917) 555-2468";

    /// <summary>A marker in every free-text field, rare answers in the enum lists, and a phone number.</summary>
    private static List<KeyValuePair<string, string>> MarkedForm(string marker)
    {
        return InquiryForms.Valid(name: $"Name {marker}", email: $"{marker}@example.com", change: i =>
        {
            i.Pronouns = $"pro {marker}";
            i.Phone = Phone;
            i.PreferredContact = ContactMethod.Either;
            i.ConcernOther = $"concern {marker}";
            i.Message = $"message {marker}";
            i.MedicationOther = $"medication {marker}";
            i.Medications = [Medication.Lamotrigine, Medication.Other];
            i.TreatmentsTried = [Treatment.KetamineOrEsketamine];
            i.SubstanceUse = SubstanceUse.InRecovery;
            i.Concerns.Add(Concern.Other);
        });
    }

    [Fact]
    public async Task What_a_client_typed_and_a_note_are_not_in_the_database_files_yet_the_admin_pages_show_them()
    {
        await using var app = new AtRestFactory();
        var marker = AtRest.NewMarker();
        var id = await app.SubmitAsync(MarkedForm(marker));
        var (admin, _) = await app.SignedInClientAsync();
        var page = $"/admin/inquiries/{id}";
        using (var note = await admin.PostAdminFormAsync(page, "/notes", ("text", $"note {marker}")))
        {
            Assert.Equal(HttpStatusCode.Redirect, note.StatusCode);
        }

        await Eventually.TrueAsync(async () => (await app.OutboxAsync()).All(m => m.State == Web.Domain.OutboxState.Sent), what: "both emails to be written");
        using (var backup = new StringWriter())
        {
            Assert.Equal(0, await Web.Infrastructure.Data.DataCommands.BackupAsync(app.Services, Path.Combine(app.BackupDirectory, "by-hand.db"), backup));
        }

        // Every folder the site writes, as a thief would copy it: the database, its WAL and shared memory, the Data
        // Protection keys, the mail pickup folder (allowed here: no SMTP host), a backup and the key folder.
        var files = AtRest.EverythingWritten(app);
        Assert.True(AtRest.ContainsText(files, "SQLite format 3"), "the scan reads the database file");
        var mail = PickupFiles.Messages(app);
        Assert.Equal(2, mail.Length);
        var opened = await Task.WhenAll(mail.Select(file => PickupFiles.ReadAsync(app, file)));
        Assert.Contains(opened, message => AtRest.ContainsText(message, marker) && AtRest.ContainsText(message, "555-2468"));
        Assert.False(AtRest.ContainsText(files, marker), "a typed value or the note is readable in the data folder");
        Assert.False(AtRest.ContainsText(files, "555-2468"), "the phone number is readable");
        Assert.False(AtRest.ContainsText(files, "lamotrigine"), "a medication answer or its screening reason is readable");
        Assert.False(AtRest.ContainsText(files, "KetamineOrEsketamine"), "a treatment answer is readable");
        Assert.False(AtRest.ContainsText(files, "InRecovery"), "an enum answer is readable");
        Assert.False(AtRest.ContainsText(files, "NeedsMedicalReview"), "the screening outcome is readable");

        var html = await admin.GetStringAsync(new Uri(page, UriKind.Relative));
        foreach (var shown in new[] { $"Name {marker}", $"{marker}@example.com", $"pro {marker}", "917) 555-2468", $"concern {marker}", $"message {marker}", $"medication {marker}", $"note {marker}", "Ketamine or esketamine", "In recovery" })
        {
            Assert.Contains(WebUtility.HtmlEncode(shown), html, StringComparison.Ordinal);
        }

        var list = await admin.GetStringAsync(new Uri($"/admin?q={marker.ToUpperInvariant()}", UriKind.Relative));
        Assert.Contains($"/admin/inquiries/{id}\"", list, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_authenticator_key_and_recovery_codes_are_not_in_the_database_files_yet_a_code_from_the_key_signs_in()
    {
        await using var app = new AtRestFactory();
        var account = await app.NewAdminAsync();
        var key = account.Phone.Key.Replace(" ", "", StringComparison.Ordinal);

        var files = AtRest.EverythingWritten(app);
        Assert.True(AtRest.ContainsText(files, "SQLite format 3"), "the scan reads the database file");
        Assert.False(AtRest.ContainsText(files, key), "the authenticator key is readable in the data folder");
        Assert.All(account.RecoveryCodes, code => Assert.False(AtRest.ContainsText(files, code), "a recovery code is readable in the data folder"));

        var later = app.CreateHttpsClient();
        using var signedIn = await later.SignInWithCodeAsync(account.Email, await account.Phone.NextCodeAsync());
        Assert.Equal(HttpStatusCode.Redirect, signedIn.StatusCode);
        Assert.Equal("/admin", signedIn.Headers.Location!.OriginalString);
    }

    [Fact]
    public async Task Two_apps_in_one_process_each_seal_with_their_own_key_and_read_their_own_inquiries()
    {
        await using var first = new AtRestFactory();
        await using var second = new AtRestFactory();
        _ = first.Services;
        _ = second.Services;

        var firstId = await first.SubmitAsync(InquiryForms.Valid(name: "First App Client", email: "first@example.com"));
        var secondId = await second.SubmitAsync(InquiryForms.Valid(name: "Second App Client", email: "second@example.com"));

        Assert.Equal("First App Client", (await first.InquiriesAsync()).Single(i => i.Id == firstId).FullName);
        Assert.Equal("Second App Client", (await second.InquiriesAsync()).Single(i => i.Id == secondId).FullName);
        var firstKey = Assert.Single(AtRest.KeyIds(first.KeyDirectory));
        var secondKey = Assert.Single(AtRest.KeyIds(second.KeyDirectory));
        Assert.NotEqual(firstKey, secondKey);
        var firstFile = AtRest.DatabaseBytes(first.DatabaseFile);
        var secondFile = AtRest.DatabaseBytes(second.DatabaseFile);
        Assert.True(AtRest.Contains(firstFile, AtRest.EnvelopeHeader(firstKey)));
        Assert.False(AtRest.Contains(firstFile, AtRest.EnvelopeHeader(secondKey)), "the first app's database holds values sealed with the second app's key");
        Assert.True(AtRest.Contains(secondFile, AtRest.EnvelopeHeader(secondKey)));
        Assert.False(AtRest.Contains(secondFile, AtRest.EnvelopeHeader(firstKey)), "the second app's database holds values sealed with the first app's key");
    }

    [Fact]
    public async Task The_first_start_creates_one_owner_only_key_outside_the_data_folder_and_the_keys_signing_cookies_are_sealed_with_it()
    {
        await using var app = new AtRestFactory();
        using var client = app.NewClient();
        using (var form = await client.GetAsync(new Uri(InquiryForms.Url, UriKind.Relative)))
        {
            Assert.Equal(HttpStatusCode.OK, form.StatusCode);
        }

        var keyId = Assert.Single(AtRest.KeyIds(app.KeyDirectory));
        Assert.False(KeyRingStartup.IsInside(app.KeyDirectory, app.DataDirectory));
        var protectionKeys = Directory.GetFiles(Path.Combine(app.DataDirectory, "keys"), "*.xml");
        Assert.NotEmpty(protectionKeys);
        foreach (var file in protectionKeys)
        {
            var xml = await File.ReadAllTextAsync(file);
            Assert.Contains($"{KeyRingXmlEncryptor.KeyIdAttribute}=\"{keyId}\"", xml, StringComparison.Ordinal);
            Assert.DoesNotContain("<masterKey", xml, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task A_wrong_key_stops_start_up_with_a_message_naming_the_setting()
    {
        using var folders = new TempFolder();
        await using (var original = AtRestFactory.On(folders.Sub("data"), folders.Sub("keys")))
        {
            await original.SubmitAsync(InquiryForms.Valid());
        }

        await using var other = new AtRestFactory();
        _ = other.Services; // makes a key of its own
        await using var wrong = AtRestFactory.On(folders.Sub("data"), other.KeyDirectory);

        var stop = await Record.ExceptionAsync(() => Task.FromResult(wrong.Services));

        var message = Assert.IsType<EncryptionKeyException>(Innermost(stop)).Message;
        Assert.Contains("Encryption:KeyDirectory", message, StringComparison.Ordinal);
        Assert.Contains(AtRest.KeyIds(folders.Sub("keys"))[0], message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_missing_key_stops_start_up_and_no_new_key_is_made_for_an_encrypted_database()
    {
        using var folders = new TempFolder();
        await using (var original = AtRestFactory.On(folders.Sub("data"), folders.Sub("keys")))
        {
            await original.SubmitAsync(InquiryForms.Valid());
        }

        await using var keyless = AtRestFactory.On(folders.Sub("data"), folders.Sub("empty-keys"));

        var stop = await Record.ExceptionAsync(() => Task.FromResult(keyless.Services));

        var message = Assert.IsType<EncryptionKeyException>(Innermost(stop)).Message;
        Assert.StartsWith("No encryption key was found in Encryption:KeyDirectory", message, StringComparison.Ordinal);
        Assert.False(Directory.Exists(folders.Sub("empty-keys")) && Directory.EnumerateFiles(folders.Sub("empty-keys")).Any(), "a new key was made");
    }

    [Fact]
    public async Task A_key_folder_inside_the_backup_folder_stops_start_up_with_a_message_naming_both_settings()
    {
        using var folders = new TempFolder();
        await using var app = AtRestFactory.On(folders.Sub("data"), Path.Combine(folders.Sub("backups"), "keys"));
        app.WithSetting("Backup:Directory", folders.Sub("backups"));

        var stop = await Record.ExceptionAsync(() => Task.FromResult(app.Services));

        var message = Assert.IsType<EncryptionKeyException>(Innermost(stop)).Message;
        Assert.Contains("Encryption:KeyDirectory", message, StringComparison.Ordinal);
        Assert.Contains("Backup:Directory", message, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Path.Combine(folders.Sub("backups"), "keys")) && Directory.EnumerateFiles(Path.Combine(folders.Sub("backups"), "keys")).Any(), "a key was made inside the backup folder");
    }

    private static Exception? Innermost(Exception? exception)
    {
        while (exception is { InnerException: not null } and not EncryptionKeyException)
        {
            exception = exception.InnerException;
        }

        return exception;
    }
}
