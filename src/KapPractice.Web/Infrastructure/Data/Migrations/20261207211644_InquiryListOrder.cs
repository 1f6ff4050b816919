using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace KapPractice.Web.Infrastructure.Data.Migrations
{
    /// <inheritdoc />
    public partial class InquiryListOrder : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Inquiries_IsSuspectedSpam_Status",
                table: "Inquiries");

            migrationBuilder.CreateIndex(
                name: "IX_Inquiries_IsSuspectedSpam_ReceivedUtc_Id",
                table: "Inquiries",
                columns: new[] { "IsSuspectedSpam", "ReceivedUtc", "Id" });

            migrationBuilder.CreateIndex(
                name: "IX_Inquiries_IsSuspectedSpam_Status_ReceivedUtc_Id",
                table: "Inquiries",
                columns: new[] { "IsSuspectedSpam", "Status", "ReceivedUtc", "Id" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Inquiries_IsSuspectedSpam_ReceivedUtc_Id",
                table: "Inquiries");

            migrationBuilder.DropIndex(
                name: "IX_Inquiries_IsSuspectedSpam_Status_ReceivedUtc_Id",
                table: "Inquiries");

            migrationBuilder.CreateIndex(
                name: "IX_Inquiries_IsSuspectedSpam_Status",
                table: "Inquiries",
                columns: new[] { "IsSuspectedSpam", "Status" });
        }
    }
}
