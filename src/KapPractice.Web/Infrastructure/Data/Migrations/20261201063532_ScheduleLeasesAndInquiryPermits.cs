using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace KapPractice.Web.Infrastructure.Data.Migrations
{
    /// <inheritdoc />
    public partial class ScheduleLeasesAndInquiryPermits : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "InquiryPermits",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    ClientHash = table.Column<byte[]>(type: "BLOB", maxLength: 32, nullable: false),
                    TakenUtc = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_InquiryPermits", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "ScheduleLeases",
                columns: table => new
                {
                    Name = table.Column<string>(type: "TEXT", maxLength: 60, nullable: false),
                    Holder = table.Column<string>(type: "TEXT", maxLength: 80, nullable: false),
                    ExpiresUtc = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ScheduleLeases", x => x.Name);
                });

            migrationBuilder.CreateIndex(
                name: "IX_InquiryPermits_ClientHash_TakenUtc",
                table: "InquiryPermits",
                columns: new[] { "ClientHash", "TakenUtc" });

            migrationBuilder.CreateIndex(
                name: "IX_InquiryPermits_TakenUtc",
                table: "InquiryPermits",
                column: "TakenUtc");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "InquiryPermits");

            migrationBuilder.DropTable(
                name: "ScheduleLeases");
        }
    }
}
