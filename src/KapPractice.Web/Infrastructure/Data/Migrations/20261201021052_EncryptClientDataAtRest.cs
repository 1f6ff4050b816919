using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace KapPractice.Web.Infrastructure.Data.Migrations
{
    /// <inheritdoc />
    public partial class EncryptClientDataAtRest : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_OutboxMessages_Kind_Recipient_CreatedUtc",
                table: "OutboxMessages");

            migrationBuilder.AlterColumn<byte[]>(
                name: "Recipient",
                table: "OutboxMessages",
                type: "BLOB",
                nullable: false,
                oldClrType: typeof(string),
                oldType: "TEXT",
                oldMaxLength: 254,
                oldCollation: "NOCASE");

            migrationBuilder.AlterColumn<byte[]>(
                name: "LastError",
                table: "OutboxMessages",
                type: "BLOB",
                nullable: true,
                oldClrType: typeof(string),
                oldType: "TEXT",
                oldMaxLength: 1000,
                oldNullable: true);

            migrationBuilder.AddColumn<byte[]>(
                name: "RecipientHash",
                table: "OutboxMessages",
                type: "BLOB",
                nullable: true);

            migrationBuilder.AlterColumn<byte[]>(
                name: "Text",
                table: "InquiryNotes",
                type: "BLOB",
                nullable: false,
                oldClrType: typeof(string),
                oldType: "TEXT",
                oldMaxLength: 4000);

            migrationBuilder.AlterColumn<byte[]>(
                name: "WillingMedicalEvaluation",
                table: "Inquiries",
                type: "BLOB",
                nullable: false,
                oldClrType: typeof(string),
                oldType: "TEXT",
                oldMaxLength: 40);

            migrationBuilder.AlterColumn<byte[]>(
                name: "VoicemailOk",
                table: "Inquiries",
                type: "BLOB",
                nullable: false,
                oldClrType: typeof(string),
                oldType: "TEXT",
                oldMaxLength: 40);

            migrationBuilder.AlterColumn<byte[]>(
                name: "TreatmentsTried",
                table: "Inquiries",
                type: "BLOB",
                nullable: false,
                oldClrType: typeof(string),
                oldType: "TEXT");

            migrationBuilder.AlterColumn<byte[]>(
                name: "SubstanceUse",
                table: "Inquiries",
                type: "BLOB",
                nullable: false,
                oldClrType: typeof(string),
                oldType: "TEXT",
                oldMaxLength: 40);

            migrationBuilder.AlterColumn<byte[]>(
                name: "SpamReason",
                table: "Inquiries",
                type: "BLOB",
                nullable: true,
                oldClrType: typeof(string),
                oldType: "TEXT",
                oldMaxLength: 200,
                oldNullable: true);

            migrationBuilder.AlterColumn<byte[]>(
                name: "SessionPreference",
                table: "Inquiries",
                type: "BLOB",
                nullable: false,
                oldClrType: typeof(string),
                oldType: "TEXT",
                oldMaxLength: 40);

            migrationBuilder.AlterColumn<byte[]>(
                name: "SelfHarmThoughts",
                table: "Inquiries",
                type: "BLOB",
                nullable: false,
                oldClrType: typeof(string),
                oldType: "TEXT",
                oldMaxLength: 40);

            migrationBuilder.AlterColumn<byte[]>(
                name: "ScreeningReasons",
                table: "Inquiries",
                type: "BLOB",
                nullable: false,
                oldClrType: typeof(string),
                oldType: "TEXT");

            migrationBuilder.AlterColumn<byte[]>(
                name: "PsychoticDisorder",
                table: "Inquiries",
                type: "BLOB",
                nullable: false,
                oldClrType: typeof(string),
                oldType: "TEXT",
                oldMaxLength: 40);

            migrationBuilder.AlterColumn<byte[]>(
                name: "Pronouns",
                table: "Inquiries",
                type: "BLOB",
                nullable: true,
                oldClrType: typeof(string),
                oldType: "TEXT",
                oldMaxLength: 40,
                oldNullable: true);

            migrationBuilder.AlterColumn<byte[]>(
                name: "Prescriber",
                table: "Inquiries",
                type: "BLOB",
                nullable: false,
                oldClrType: typeof(string),
                oldType: "TEXT",
                oldMaxLength: 40);

            migrationBuilder.AlterColumn<byte[]>(
                name: "PregnantOrBreastfeeding",
                table: "Inquiries",
                type: "BLOB",
                nullable: false,
                oldClrType: typeof(string),
                oldType: "TEXT",
                oldMaxLength: 40);

            migrationBuilder.AlterColumn<byte[]>(
                name: "PreferredContact",
                table: "Inquiries",
                type: "BLOB",
                nullable: false,
                oldClrType: typeof(string),
                oldType: "TEXT",
                oldMaxLength: 40);

            migrationBuilder.AlterColumn<byte[]>(
                name: "Phone",
                table: "Inquiries",
                type: "BLOB",
                nullable: true,
                oldClrType: typeof(string),
                oldType: "TEXT",
                oldMaxLength: 40,
                oldNullable: true);

            migrationBuilder.AlterColumn<byte[]>(
                name: "OtherHeartDisease",
                table: "Inquiries",
                type: "BLOB",
                nullable: false,
                oldClrType: typeof(string),
                oldType: "TEXT",
                oldMaxLength: 40);

            migrationBuilder.AlterColumn<byte[]>(
                name: "Message",
                table: "Inquiries",
                type: "BLOB",
                nullable: true,
                oldClrType: typeof(string),
                oldType: "TEXT",
                oldMaxLength: 2000,
                oldNullable: true);

            migrationBuilder.AlterColumn<byte[]>(
                name: "Medications",
                table: "Inquiries",
                type: "BLOB",
                nullable: false,
                oldClrType: typeof(string),
                oldType: "TEXT");

            migrationBuilder.AlterColumn<byte[]>(
                name: "MedicationOther",
                table: "Inquiries",
                type: "BLOB",
                nullable: true,
                oldClrType: typeof(string),
                oldType: "TEXT",
                oldMaxLength: 200,
                oldNullable: true);

            migrationBuilder.AlterColumn<byte[]>(
                name: "ManicOrMixedEpisode",
                table: "Inquiries",
                type: "BLOB",
                nullable: true,
                oldClrType: typeof(string),
                oldType: "TEXT",
                oldMaxLength: 40,
                oldNullable: true);

            migrationBuilder.AlterColumn<byte[]>(
                name: "LiverBladderOrThyroid",
                table: "Inquiries",
                type: "BLOB",
                nullable: false,
                oldClrType: typeof(string),
                oldType: "TEXT",
                oldMaxLength: 40);

            migrationBuilder.AlterColumn<byte[]>(
                name: "KetamineHistory",
                table: "Inquiries",
                type: "BLOB",
                nullable: false,
                oldClrType: typeof(string),
                oldType: "TEXT",
                oldMaxLength: 40);

            migrationBuilder.AlterColumn<byte[]>(
                name: "InNewYork",
                table: "Inquiries",
                type: "BLOB",
                nullable: false,
                oldClrType: typeof(string),
                oldType: "TEXT",
                oldMaxLength: 40);

            migrationBuilder.AlterColumn<byte[]>(
                name: "FullName",
                table: "Inquiries",
                type: "BLOB",
                nullable: false,
                oldClrType: typeof(string),
                oldType: "TEXT",
                oldMaxLength: 100);

            migrationBuilder.AlterColumn<byte[]>(
                name: "EyeOrSkullPressure",
                table: "Inquiries",
                type: "BLOB",
                nullable: false,
                oldClrType: typeof(string),
                oldType: "TEXT",
                oldMaxLength: 40);

            migrationBuilder.AlterColumn<byte[]>(
                name: "Email",
                table: "Inquiries",
                type: "BLOB",
                nullable: false,
                oldClrType: typeof(string),
                oldType: "TEXT",
                oldMaxLength: 254);

            migrationBuilder.AlterColumn<byte[]>(
                name: "Concerns",
                table: "Inquiries",
                type: "BLOB",
                nullable: false,
                oldClrType: typeof(string),
                oldType: "TEXT");

            migrationBuilder.AlterColumn<byte[]>(
                name: "ConcernOther",
                table: "Inquiries",
                type: "BLOB",
                nullable: true,
                oldClrType: typeof(string),
                oldType: "TEXT",
                oldMaxLength: 200,
                oldNullable: true);

            migrationBuilder.AlterColumn<byte[]>(
                name: "BreathingProblems",
                table: "Inquiries",
                type: "BLOB",
                nullable: false,
                oldClrType: typeof(string),
                oldType: "TEXT",
                oldMaxLength: 40);

            migrationBuilder.AlterColumn<byte[]>(
                name: "BloodPressure",
                table: "Inquiries",
                type: "BLOB",
                nullable: false,
                oldClrType: typeof(string),
                oldType: "TEXT",
                oldMaxLength: 40);

            migrationBuilder.AlterColumn<byte[]>(
                name: "Bipolar",
                table: "Inquiries",
                type: "BLOB",
                nullable: false,
                oldClrType: typeof(string),
                oldType: "TEXT",
                oldMaxLength: 40);

            migrationBuilder.AlterColumn<byte[]>(
                name: "AneurysmOrStroke",
                table: "Inquiries",
                type: "BLOB",
                nullable: false,
                oldClrType: typeof(string),
                oldType: "TEXT",
                oldMaxLength: 40);

            migrationBuilder.AlterColumn<byte[]>(
                name: "Adult",
                table: "Inquiries",
                type: "BLOB",
                nullable: false,
                oldClrType: typeof(string),
                oldType: "TEXT",
                oldMaxLength: 40);

            migrationBuilder.CreateTable(
                name: "EncryptionKeys",
                columns: table => new
                {
                    KeyId = table.Column<string>(type: "TEXT", maxLength: 8, nullable: false),
                    CreatedUtc = table.Column<DateTime>(type: "TEXT", nullable: false),
                    Check = table.Column<byte[]>(type: "BLOB", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_EncryptionKeys", x => x.KeyId);
                });

            migrationBuilder.CreateIndex(
                name: "IX_OutboxMessages_Kind_RecipientHash_CreatedUtc",
                table: "OutboxMessages",
                columns: new[] { "Kind", "RecipientHash", "CreatedUtc" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "EncryptionKeys");

            migrationBuilder.DropIndex(
                name: "IX_OutboxMessages_Kind_RecipientHash_CreatedUtc",
                table: "OutboxMessages");

            migrationBuilder.DropColumn(
                name: "RecipientHash",
                table: "OutboxMessages");

            migrationBuilder.AlterColumn<string>(
                name: "Recipient",
                table: "OutboxMessages",
                type: "TEXT",
                maxLength: 254,
                nullable: false,
                collation: "NOCASE",
                oldClrType: typeof(byte[]),
                oldType: "BLOB");

            migrationBuilder.AlterColumn<string>(
                name: "LastError",
                table: "OutboxMessages",
                type: "TEXT",
                maxLength: 1000,
                nullable: true,
                oldClrType: typeof(byte[]),
                oldType: "BLOB",
                oldNullable: true);

            migrationBuilder.AlterColumn<string>(
                name: "Text",
                table: "InquiryNotes",
                type: "TEXT",
                maxLength: 4000,
                nullable: false,
                oldClrType: typeof(byte[]),
                oldType: "BLOB");

            migrationBuilder.AlterColumn<string>(
                name: "WillingMedicalEvaluation",
                table: "Inquiries",
                type: "TEXT",
                maxLength: 40,
                nullable: false,
                oldClrType: typeof(byte[]),
                oldType: "BLOB");

            migrationBuilder.AlterColumn<string>(
                name: "VoicemailOk",
                table: "Inquiries",
                type: "TEXT",
                maxLength: 40,
                nullable: false,
                oldClrType: typeof(byte[]),
                oldType: "BLOB");

            migrationBuilder.AlterColumn<string>(
                name: "TreatmentsTried",
                table: "Inquiries",
                type: "TEXT",
                nullable: false,
                oldClrType: typeof(byte[]),
                oldType: "BLOB");

            migrationBuilder.AlterColumn<string>(
                name: "SubstanceUse",
                table: "Inquiries",
                type: "TEXT",
                maxLength: 40,
                nullable: false,
                oldClrType: typeof(byte[]),
                oldType: "BLOB");

            migrationBuilder.AlterColumn<string>(
                name: "SpamReason",
                table: "Inquiries",
                type: "TEXT",
                maxLength: 200,
                nullable: true,
                oldClrType: typeof(byte[]),
                oldType: "BLOB",
                oldNullable: true);

            migrationBuilder.AlterColumn<string>(
                name: "SessionPreference",
                table: "Inquiries",
                type: "TEXT",
                maxLength: 40,
                nullable: false,
                oldClrType: typeof(byte[]),
                oldType: "BLOB");

            migrationBuilder.AlterColumn<string>(
                name: "SelfHarmThoughts",
                table: "Inquiries",
                type: "TEXT",
                maxLength: 40,
                nullable: false,
                oldClrType: typeof(byte[]),
                oldType: "BLOB");

            migrationBuilder.AlterColumn<string>(
                name: "ScreeningReasons",
                table: "Inquiries",
                type: "TEXT",
                nullable: false,
                oldClrType: typeof(byte[]),
                oldType: "BLOB");

            migrationBuilder.AlterColumn<string>(
                name: "PsychoticDisorder",
                table: "Inquiries",
                type: "TEXT",
                maxLength: 40,
                nullable: false,
                oldClrType: typeof(byte[]),
                oldType: "BLOB");

            migrationBuilder.AlterColumn<string>(
                name: "Pronouns",
                table: "Inquiries",
                type: "TEXT",
                maxLength: 40,
                nullable: true,
                oldClrType: typeof(byte[]),
                oldType: "BLOB",
                oldNullable: true);

            migrationBuilder.AlterColumn<string>(
                name: "Prescriber",
                table: "Inquiries",
                type: "TEXT",
                maxLength: 40,
                nullable: false,
                oldClrType: typeof(byte[]),
                oldType: "BLOB");

            migrationBuilder.AlterColumn<string>(
                name: "PregnantOrBreastfeeding",
                table: "Inquiries",
                type: "TEXT",
                maxLength: 40,
                nullable: false,
                oldClrType: typeof(byte[]),
                oldType: "BLOB");

            migrationBuilder.AlterColumn<string>(
                name: "PreferredContact",
                table: "Inquiries",
                type: "TEXT",
                maxLength: 40,
                nullable: false,
                oldClrType: typeof(byte[]),
                oldType: "BLOB");

            migrationBuilder.AlterColumn<string>(
                name: "Phone",
                table: "Inquiries",
                type: "TEXT",
                maxLength: 40,
                nullable: true,
                oldClrType: typeof(byte[]),
                oldType: "BLOB",
                oldNullable: true);

            migrationBuilder.AlterColumn<string>(
                name: "OtherHeartDisease",
                table: "Inquiries",
                type: "TEXT",
                maxLength: 40,
                nullable: false,
                oldClrType: typeof(byte[]),
                oldType: "BLOB");

            migrationBuilder.AlterColumn<string>(
                name: "Message",
                table: "Inquiries",
                type: "TEXT",
                maxLength: 2000,
                nullable: true,
                oldClrType: typeof(byte[]),
                oldType: "BLOB",
                oldNullable: true);

            migrationBuilder.AlterColumn<string>(
                name: "Medications",
                table: "Inquiries",
                type: "TEXT",
                nullable: false,
                oldClrType: typeof(byte[]),
                oldType: "BLOB");

            migrationBuilder.AlterColumn<string>(
                name: "MedicationOther",
                table: "Inquiries",
                type: "TEXT",
                maxLength: 200,
                nullable: true,
                oldClrType: typeof(byte[]),
                oldType: "BLOB",
                oldNullable: true);

            migrationBuilder.AlterColumn<string>(
                name: "ManicOrMixedEpisode",
                table: "Inquiries",
                type: "TEXT",
                maxLength: 40,
                nullable: true,
                oldClrType: typeof(byte[]),
                oldType: "BLOB",
                oldNullable: true);

            migrationBuilder.AlterColumn<string>(
                name: "LiverBladderOrThyroid",
                table: "Inquiries",
                type: "TEXT",
                maxLength: 40,
                nullable: false,
                oldClrType: typeof(byte[]),
                oldType: "BLOB");

            migrationBuilder.AlterColumn<string>(
                name: "KetamineHistory",
                table: "Inquiries",
                type: "TEXT",
                maxLength: 40,
                nullable: false,
                oldClrType: typeof(byte[]),
                oldType: "BLOB");

            migrationBuilder.AlterColumn<string>(
                name: "InNewYork",
                table: "Inquiries",
                type: "TEXT",
                maxLength: 40,
                nullable: false,
                oldClrType: typeof(byte[]),
                oldType: "BLOB");

            migrationBuilder.AlterColumn<string>(
                name: "FullName",
                table: "Inquiries",
                type: "TEXT",
                maxLength: 100,
                nullable: false,
                oldClrType: typeof(byte[]),
                oldType: "BLOB");

            migrationBuilder.AlterColumn<string>(
                name: "EyeOrSkullPressure",
                table: "Inquiries",
                type: "TEXT",
                maxLength: 40,
                nullable: false,
                oldClrType: typeof(byte[]),
                oldType: "BLOB");

            migrationBuilder.AlterColumn<string>(
                name: "Email",
                table: "Inquiries",
                type: "TEXT",
                maxLength: 254,
                nullable: false,
                oldClrType: typeof(byte[]),
                oldType: "BLOB");

            migrationBuilder.AlterColumn<string>(
                name: "Concerns",
                table: "Inquiries",
                type: "TEXT",
                nullable: false,
                oldClrType: typeof(byte[]),
                oldType: "BLOB");

            migrationBuilder.AlterColumn<string>(
                name: "ConcernOther",
                table: "Inquiries",
                type: "TEXT",
                maxLength: 200,
                nullable: true,
                oldClrType: typeof(byte[]),
                oldType: "BLOB",
                oldNullable: true);

            migrationBuilder.AlterColumn<string>(
                name: "BreathingProblems",
                table: "Inquiries",
                type: "TEXT",
                maxLength: 40,
                nullable: false,
                oldClrType: typeof(byte[]),
                oldType: "BLOB");

            migrationBuilder.AlterColumn<string>(
                name: "BloodPressure",
                table: "Inquiries",
                type: "TEXT",
                maxLength: 40,
                nullable: false,
                oldClrType: typeof(byte[]),
                oldType: "BLOB");

            migrationBuilder.AlterColumn<string>(
                name: "Bipolar",
                table: "Inquiries",
                type: "TEXT",
                maxLength: 40,
                nullable: false,
                oldClrType: typeof(byte[]),
                oldType: "BLOB");

            migrationBuilder.AlterColumn<string>(
                name: "AneurysmOrStroke",
                table: "Inquiries",
                type: "TEXT",
                maxLength: 40,
                nullable: false,
                oldClrType: typeof(byte[]),
                oldType: "BLOB");

            migrationBuilder.AlterColumn<string>(
                name: "Adult",
                table: "Inquiries",
                type: "TEXT",
                maxLength: 40,
                nullable: false,
                oldClrType: typeof(byte[]),
                oldType: "BLOB");

            migrationBuilder.CreateIndex(
                name: "IX_OutboxMessages_Kind_Recipient_CreatedUtc",
                table: "OutboxMessages",
                columns: new[] { "Kind", "Recipient", "CreatedUtc" });
        }
    }
}
