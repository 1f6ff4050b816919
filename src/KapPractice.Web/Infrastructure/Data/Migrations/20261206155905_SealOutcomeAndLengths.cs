using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace KapPractice.Web.Infrastructure.Data.Migrations
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

            // The outcome keeps its clear name until start-up seals it (ClientDataReencryptor), as every clear value.
            migrationBuilder.AlterColumn<byte[]>(
                name: "Outcome",
                table: "Inquiries",
                type: "BLOB",
                nullable: false,
                oldClrType: typeof(string),
                oldType: "TEXT",
                oldMaxLength: 40);
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
                type: "TEXT",
                maxLength: 40,
                nullable: false,
                oldClrType: typeof(byte[]),
                oldType: "BLOB");
        }
    }
}
