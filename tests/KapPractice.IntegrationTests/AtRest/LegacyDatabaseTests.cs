using KapPractice.Web.Domain;
using KapPractice.IntegrationTests.Inquiries;
using KapPractice.Web.Infrastructure;
using KapPractice.Web.Infrastructure.Data;
using KapPractice.Web.Infrastructure.Data.Encryption;
using KapPractice.Web.Infrastructure.Email;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.Extensions.DependencyInjection;

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
        // Asked only since a later version: not asked of this client.
        Assert.Equal<YesNoNotSure?>([null, null, null], [inquiry.SeizuresOrEpilepsy, inquiry.DissociativeDisorder, inquiry.FamilyPsychoticDisorder]);
        Assert.Null(inquiry.SubstanceUseLastProblem);
        Assert.Equal(["Takes lamotrigine"], inquiry.ScreeningReasons);
        Assert.Equal($"note {marker}", (await app.WithDbAsync(db => db.InquiryNotes.SingleAsync())).Text);
        Assert.False(AtRest.ContainsText(AtRest.DatabaseBytes(app.DatabaseFile), marker), "a clear value is left in the database files");
        Assert.Empty(await AtRest.RawValuesAsync(app.DatabaseFile,
            "SELECT \"Id\" FROM \"Inquiries\" WHERE typeof(\"FullName\") <> 'blob' OR typeof(\"Bipolar\") <> 'blob' OR typeof(\"ManicOrMixedEpisode\") <> 'blob' OR typeof(\"Phone\") <> 'blob'"));

        // The old acknowledgement still counts: its recipient got its keyed hash during the encryption.
        var again = await app.SubmitAsync(InquiryForms.Valid(name: "Legacy Again", email: $"{marker.ToUpperInvariant()}@EXAMPLE.COM"));
        Assert.DoesNotContain(await app.OutboxAsync(), m => m.InquiryId == again && m.Kind == OutboxKind.ClientAcknowledgement);
    }

    [Fact]
    public async Task Notes_deleted_before_the_upgrade_are_gone_from_the_database_files_and_the_first_backup()
    {
        using var folders = new TempFolder();
        var deleted = AtRest.NewMarker();
        var database = Path.Combine(folders.Sub("data"), "kappractice.db");
        await WriteClearDatabaseAsync(database, AtRest.NewMarker());
        await AddAndDeleteNotesAsync(database, deleted);
        Assert.True(AtRest.ContainsText(AtRest.DatabaseBytes(database), deleted), "the old file keeps deleted notes in its free pages");

        await using var app = AtRestFactory.On(folders.Sub("data"), folders.Sub("keys"));
        app.WithSetting("Backup:Directory", folders.Sub("backups"));
        Assert.Single(await app.InquiriesAsync());
        var backup = await app.Services.GetRequiredService<DatabaseBackup>().RunScheduledAsync(CancellationToken.None);

        Assert.False(AtRest.ContainsText(AtRest.DatabaseBytes(app.DatabaseFile), deleted), "a deleted note is left in the database file or its WAL");
        Assert.False(AtRest.ContainsText(await File.ReadAllBytesAsync(backup), deleted), "a deleted note is left in the backup");
        await using (var sqlite = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = app.DatabaseFile, Pooling = false }.ToString()))
        {
            await sqlite.OpenAsync();
            await using var mode = sqlite.CreateCommand();
            mode.CommandText = "PRAGMA journal_mode;";
            Assert.Equal("wal", await mode.ExecuteScalarAsync());
        }

        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(OwnerOnlyFiles.FileMode, AtRest.ModeOf(app.DatabaseFile));
        }
    }

    /// <summary>What the version before encryption did: notes of a few kilobytes added, then deleted without secure_delete.</summary>
    private static async Task AddAndDeleteNotesAsync(string database, string marker)
    {
        await using var sqlite = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = database, Pooling = false }.ToString());
        await sqlite.OpenAsync();
        await using var command = sqlite.CreateCommand();
        command.CommandText = $"""
            PRAGMA journal_mode = WAL;
            PRAGMA secure_delete = OFF;
            INSERT INTO "InquiryNotes" ("InquiryId", "Author", "Text", "CreatedUtc")
            WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 200)
            SELECT 1, 'leslie@example.org', 'deleted {marker} ' || i || ' ' || replace(hex(zeroblob(1500)), '0', 'x'), '2026-11-30 10:00:00' FROM n;
            DELETE FROM "InquiryNotes" WHERE "Text" LIKE 'deleted %';
            """;
        await command.ExecuteNonQueryAsync();
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
