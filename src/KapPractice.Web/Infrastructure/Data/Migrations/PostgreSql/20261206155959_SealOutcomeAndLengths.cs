using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace KapPractice.Web.Infrastructure.Data.Migrations.PostgreSql
{
    /// <inheritdoc />
    public partial class SealOutcomeAndLengths : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.RenameColumn(
                name: "UrgentReminderQueuedUtc",
                table: "Inquiries",
                newName: "ReminderCheckedUtc");

            // The old marker was set on urgent inquiries only; the new one is set on every inquiry by the next check.
            // Sent reminders named their inquiry: they go; a waiting one names none now and is dropped when composed.
            migrationBuilder.Sql("UPDATE \"Inquiries\" SET \"ReminderCheckedUtc\" = NULL;");
            migrationBuilder.Sql("DELETE FROM \"OutboxMessages\" WHERE \"Kind\" = 'UrgentReminder' AND \"State\" = 'Sent';");
            migrationBuilder.Sql("UPDATE \"OutboxMessages\" SET \"InquiryId\" = NULL WHERE \"Kind\" = 'UrgentReminder';");

            // The outcome's clear name as bytes until start-up seals it (ClientDataReencryptor); EF Core's ALTER has no USING.
            migrationBuilder.Sql("ALTER TABLE \"Inquiries\" ALTER COLUMN \"Outcome\" TYPE bytea USING convert_to(\"Outcome\", 'UTF8');");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.RenameColumn(
                name: "ReminderCheckedUtc",
                table: "Inquiries",
                newName: "UrgentReminderQueuedUtc");

            migrationBuilder.AlterColumn<string>(
                name: "Outcome",
                table: "Inquiries",
                type: "character varying(40)",
                maxLength: 40,
                nullable: false,
                oldClrType: typeof(byte[]),
                oldType: "bytea");
        }
    }
}
