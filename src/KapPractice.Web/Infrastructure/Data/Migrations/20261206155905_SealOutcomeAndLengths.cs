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
            // Reminder rows named their inquiry (and their time pointed at it): all go, whatever their state. The next
            // check looks at every inquiry again, so an urgent one still not opened gets its reminder once more.
            migrationBuilder.Sql("UPDATE \"Inquiries\" SET \"ReminderCheckedUtc\" = NULL;");
            migrationBuilder.Sql("DELETE FROM \"OutboxMessages\" WHERE \"Kind\" = 'UrgentReminder';");

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
