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
            // Reminder rows named their inquiry (and their time pointed at it): all go, whatever their state. The next
            // check looks at every inquiry again, so an urgent one still not opened gets its reminder once more.
            migrationBuilder.Sql("UPDATE \"Inquiries\" SET \"ReminderCheckedUtc\" = NULL;");
            migrationBuilder.Sql("DELETE FROM \"OutboxMessages\" WHERE \"Kind\" = 'UrgentReminder';");

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
