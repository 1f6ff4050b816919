using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace KapPractice.Web.Infrastructure.Data.Migrations.PostgreSql
{
    /// <inheritdoc />
    public partial class HashedSessionIdsAndLastProof : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // Sessions are now found by a keyed hash of their id (Features/Admin/AdminSessions.cs): rows stored under
            // the id itself can never be found again and would keep a usable id in the table, so they go, and she
            // signs in again once after the upgrade.
            migrationBuilder.Sql("DELETE FROM \"AdminSessions\";");

            migrationBuilder.AddColumn<DateTime>(
                name: "LastProofUtc",
                table: "AdminSessions",
                type: "timestamp with time zone",
                nullable: false,
                defaultValue: new DateTime(1, 1, 1, 0, 0, 0, 0, DateTimeKind.Unspecified));
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "LastProofUtc",
                table: "AdminSessions");
        }
    }
}
