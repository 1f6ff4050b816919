using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace KapPractice.Web.Infrastructure.Data.Migrations
{
    /// <inheritdoc />
    public partial class RecipientWithoutCase : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AlterColumn<string>(
                name: "Recipient",
                table: "OutboxMessages",
                type: "TEXT",
                maxLength: 254,
                nullable: false,
                collation: "NOCASE",
                oldClrType: typeof(string),
                oldType: "TEXT",
                oldMaxLength: 254);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AlterColumn<string>(
                name: "Recipient",
                table: "OutboxMessages",
                type: "TEXT",
                maxLength: 254,
                nullable: false,
                oldClrType: typeof(string),
                oldType: "TEXT",
                oldMaxLength: 254,
                oldCollation: "NOCASE");
        }
    }
}
