using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace KapPractice.Web.Infrastructure.Data.Migrations.PostgreSql
{
    /// <inheritdoc />
    public partial class ReplyDraftIds : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<Guid>(
                name: "DraftId",
                table: "InquiryReplies",
                type: "uuid",
                nullable: true);

            migrationBuilder.CreateIndex(
                name: "IX_InquiryReplies_DraftId",
                table: "InquiryReplies",
                column: "DraftId",
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_InquiryReplies_DraftId",
                table: "InquiryReplies");

            migrationBuilder.DropColumn(
                name: "DraftId",
                table: "InquiryReplies");
        }
    }
}
