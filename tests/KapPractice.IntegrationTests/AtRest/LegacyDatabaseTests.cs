using KapPractice.Web.Domain;
using KapPractice.IntegrationTests.Inquiries;
using KapPractice.Web.Infrastructure.Data;
using KapPractice.Web.Infrastructure.Data.Encryption;
using KapPractice.Web.Infrastructure.Email;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace KapPractice.IntegrationTests.AtRest;

/// <summary>A database from before encryption: migrated, its clear rows encrypted once at start-up, all still readable.</summary>
public sealed class LegacyDatabaseTests
{
    /// <summary>The last migration before encryption; a file the previous version left has exactly its tables.</summary>
    private const string LastClearMigration = "20261126190216_RecipientWithoutCase";

    [Fact]
    public async Task A_database_from_before_encryption_is_encrypted_at_start_up_and_reads_back_whole()
    {
        using var folders = new TempFolder();
        var marker = AtRest.NewMarker();
        var database = Path.Combine(folders.Sub("data"), "kappractice.db");
        await WriteClearDatabaseAsync(database, marker);
        Assert.True(AtRest.ContainsText(AtRest.DatabaseBytes(database), marker), "the old file holds the answers in the clear");

        await using var app = AtRestFactory.On(folders.Sub("data"), folders.Sub("keys"));
        var inquiry = (await app.InquiriesAsync()).Single();

        Assert.Equal(($"Legacy {marker}", $"{marker}@example.com", "they/them", $"history {marker}"), (inquiry.FullName, inquiry.Email, inquiry.Pronouns, inquiry.Message));
        Assert.Equal([Web.Domain.Concern.Depression, Web.Domain.Concern.Grief], inquiry.Concerns);
        Assert.Null(inquiry.ManicOrMixedEpisode);
        Assert.Equal(["Takes lamotrigine"], inquiry.ScreeningReasons);
        Assert.Equal($"note {marker}", (await app.WithDbAsync(db => db.InquiryNotes.SingleAsync())).Text);
        Assert.False(AtRest.ContainsText(AtRest.DatabaseBytes(app.DatabaseFile), marker), "a clear value is left in the database files");
        Assert.Empty(await AtRest.RawValuesAsync(app.DatabaseFile,
            "SELECT \"Id\" FROM \"Inquiries\" WHERE typeof(\"FullName\") <> 'blob' OR typeof(\"Bipolar\") <> 'blob' OR typeof(\"ManicOrMixedEpisode\") <> 'blob' OR typeof(\"Phone\") <> 'blob'"));

        // The old acknowledgement still counts: its recipient got its keyed hash during the encryption.
        var again = await app.SubmitAsync(InquiryForms.Valid(name: "Legacy Again", email: $"{marker.ToUpperInvariant()}@EXAMPLE.COM"));
        Assert.DoesNotContain(await app.OutboxAsync(), m => m.InquiryId == again && m.Kind == OutboxKind.ClientAcknowledgement);
    }

    private static async Task WriteClearDatabaseAsync(string database, string marker)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(database)!);
        var connection = new SqliteConnectionStringBuilder { DataSource = database, Pooling = false }.ToString();
        var options = new DbContextOptionsBuilder<KapDbContext>().UseSqlite(connection).Options;
        await using (var db = new KapDbContext(options, new DataKeyRing(
            new Microsoft.Extensions.Configuration.ConfigurationBuilder().Build(),
            new Microsoft.Extensions.Hosting.Internal.HostingEnvironment { ContentRootPath = Path.GetTempPath() })))
        {
            await db.GetService<IMigrator>().MigrateAsync(LastClearMigration);
        }

        var received = DateTime.UtcNow.AddHours(-1).ToString("yyyy-MM-dd HH:mm:ss", System.Globalization.CultureInfo.InvariantCulture);
        await using var sqlite = new SqliteConnection(connection);
        await sqlite.OpenAsync();
        await using var command = sqlite.CreateCommand();
        command.CommandText = $"""
            INSERT INTO "Inquiries" ("Id", "ReceivedUtc", "FullName", "Pronouns", "Email", "Phone", "PreferredContact", "VoicemailOk", "Adult", "InNewYork",
                "SessionPreference", "Concerns", "ConcernOther", "TreatmentsTried", "Message", "SelfHarmThoughts", "PsychoticDisorder", "Bipolar",
                "ManicOrMixedEpisode", "PregnantOrBreastfeeding", "BloodPressure", "AneurysmOrStroke", "OtherHeartDisease", "EyeOrSkullPressure",
                "BreathingProblems", "LiverBladderOrThyroid", "SubstanceUse", "KetamineHistory", "Medications", "MedicationOther", "Prescriber",
                "WillingMedicalEvaluation", "ConsentsGivenUtc", "Outcome", "ScreeningReasons", "Status", "StatusChangedUtc", "FirstViewedUtc",
                "IsSuspectedSpam", "SpamReason")
            VALUES (1, '{received}', 'Legacy {marker}', 'they/them', '{marker}@example.com', NULL, 'Email', 'No', 'Yes', 'Yes',
                'Either', '["Depression","Grief"]', NULL, '["TalkTherapy"]', 'history {marker}', 'No', 'No', 'No',
                NULL, 'No', 'No', 'No', 'No', 'No',
                'No', 'No', 'NoConcern', 'Never', '["Lamotrigine"]', NULL, 'PsychiatricPrescriber',
                'Yes', '{received}', 'NeedsMedicalReview', '["Takes lamotrigine"]', 'New', '{received}', NULL,
                0, NULL);
            INSERT INTO "InquiryNotes" ("InquiryId", "Author", "Text", "CreatedUtc") VALUES (1, 'leslie@example.org', 'note {marker}', '{received}');
            INSERT INTO "OutboxMessages" ("InquiryId", "Kind", "Recipient", "MessageId", "State", "Attempts", "CreatedUtc", "NextAttemptUtc", "SentUtc")
            VALUES (1, 'ClientAcknowledgement', '{marker}@example.com', '<legacy-1@kap.test>', 'Sent', 1, '{received}', '{received}', '{received}'),
                   (1, 'PractitionerNotification', 'leslie@intuitivecreativeartstherapy.com', '<legacy-2@kap.test>', 'Sent', 1, '{received}', '{received}', '{received}');
            """;
        await command.ExecuteNonQueryAsync();
    }
}
