using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace KapPractice.Web.Infrastructure.Data.Migrations
{
    /// <inheritdoc />
    public partial class RepliesFollowUpBookingScreening : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<int>(
                name: "BookingId",
                table: "OutboxMessages",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "BookingLinkId",
                table: "OutboxMessages",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "ReplyId",
                table: "OutboxMessages",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<byte[]>(
                name: "DissociativeDisorder",
                table: "Inquiries",
                type: "BLOB",
                nullable: true);

            migrationBuilder.AddColumn<byte[]>(
                name: "FamilyPsychoticDisorder",
                table: "Inquiries",
                type: "BLOB",
                nullable: true);

            migrationBuilder.AddColumn<byte[]>(
                name: "SeizuresOrEpilepsy",
                table: "Inquiries",
                type: "BLOB",
                nullable: true);

            migrationBuilder.AddColumn<byte[]>(
                name: "SubstanceUseLastProblem",
                table: "Inquiries",
                type: "BLOB",
                nullable: true);

            migrationBuilder.AddColumn<DateTime>(
                name: "UrgentReminderQueuedUtc",
                table: "Inquiries",
                type: "TEXT",
                nullable: true);

            migrationBuilder.CreateTable(
                name: "BookingLinks",
                columns: table => new
                {
                    Id = table.Column<int>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    InquiryId = table.Column<int>(type: "INTEGER", nullable: false),
                    Nonce = table.Column<string>(type: "TEXT", maxLength: 40, nullable: false),
                    BaseUrl = table.Column<string>(type: "TEXT", maxLength: 300, nullable: false),
                    CreatedUtc = table.Column<DateTime>(type: "TEXT", nullable: false),
                    ExpiresUtc = table.Column<DateTime>(type: "TEXT", nullable: false),
                    UsedUtc = table.Column<DateTime>(type: "TEXT", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_BookingLinks", x => x.Id);
                    table.ForeignKey(
                        name: "FK_BookingLinks_Inquiries_InquiryId",
                        column: x => x.InquiryId,
                        principalTable: "Inquiries",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "BookingSettings",
                columns: table => new
                {
                    Id = table.Column<int>(type: "INTEGER", nullable: false),
                    WeeklyHours = table.Column<string>(type: "TEXT", maxLength: 1000, nullable: false),
                    SlotMinutes = table.Column<int>(type: "INTEGER", nullable: false),
                    GapMinutes = table.Column<int>(type: "INTEGER", nullable: false),
                    HorizonDays = table.Column<int>(type: "INTEGER", nullable: false),
                    NoticeHours = table.Column<int>(type: "INTEGER", nullable: false),
                    DaysOff = table.Column<string>(type: "TEXT", maxLength: 4000, nullable: false),
                    FeedSecretHash = table.Column<byte[]>(type: "BLOB", nullable: true),
                    ChangedUtc = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_BookingSettings", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "DataSeeds",
                columns: table => new
                {
                    Name = table.Column<string>(type: "TEXT", maxLength: 60, nullable: false),
                    SeededUtc = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_DataSeeds", x => x.Name);
                });

            migrationBuilder.CreateTable(
                name: "DigestDays",
                columns: table => new
                {
                    LocalDate = table.Column<DateOnly>(type: "TEXT", nullable: false),
                    CheckedUtc = table.Column<DateTime>(type: "TEXT", nullable: false),
                    Queued = table.Column<bool>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_DigestDays", x => x.LocalDate);
                });

            migrationBuilder.CreateTable(
                name: "InquiryReplies",
                columns: table => new
                {
                    Id = table.Column<int>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    InquiryId = table.Column<int>(type: "INTEGER", nullable: false),
                    Author = table.Column<string>(type: "TEXT", maxLength: 256, nullable: false),
                    SentUtc = table.Column<DateTime>(type: "TEXT", nullable: false),
                    Subject = table.Column<byte[]>(type: "BLOB", nullable: false),
                    Body = table.Column<byte[]>(type: "BLOB", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_InquiryReplies", x => x.Id);
                    table.ForeignKey(
                        name: "FK_InquiryReplies_Inquiries_InquiryId",
                        column: x => x.InquiryId,
                        principalTable: "Inquiries",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "Referrals",
                columns: table => new
                {
                    Id = table.Column<int>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    Name = table.Column<string>(type: "TEXT", maxLength: 150, nullable: false),
                    Purpose = table.Column<string>(type: "TEXT", maxLength: 300, nullable: false),
                    Contact = table.Column<string>(type: "TEXT", maxLength: 300, nullable: false),
                    ChangedUtc = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_Referrals", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "ReplyTemplates",
                columns: table => new
                {
                    Id = table.Column<int>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    Name = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    Subject = table.Column<string>(type: "TEXT", maxLength: 150, nullable: false),
                    Body = table.Column<string>(type: "TEXT", maxLength: 10000, nullable: false),
                    ChangedUtc = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ReplyTemplates", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "Bookings",
                columns: table => new
                {
                    Id = table.Column<int>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    InquiryId = table.Column<int>(type: "INTEGER", nullable: false),
                    LinkId = table.Column<int>(type: "INTEGER", nullable: true),
                    StartUtc = table.Column<DateTime>(type: "TEXT", nullable: false),
                    EndUtc = table.Column<DateTime>(type: "TEXT", nullable: false),
                    Mode = table.Column<string>(type: "TEXT", maxLength: 40, nullable: false),
                    State = table.Column<string>(type: "TEXT", maxLength: 40, nullable: false),
                    Uid = table.Column<string>(type: "TEXT", maxLength: 80, nullable: false),
                    Sequence = table.Column<int>(type: "INTEGER", nullable: false),
                    CreatedUtc = table.Column<DateTime>(type: "TEXT", nullable: false),
                    ChangedUtc = table.Column<DateTime>(type: "TEXT", nullable: false),
                    ReminderQueuedUtc = table.Column<DateTime>(type: "TEXT", nullable: true),
                    CancelMessage = table.Column<byte[]>(type: "BLOB", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_Bookings", x => x.Id);
                    table.ForeignKey(
                        name: "FK_Bookings_BookingLinks_LinkId",
                        column: x => x.LinkId,
                        principalTable: "BookingLinks",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.SetNull);
                    table.ForeignKey(
                        name: "FK_Bookings_Inquiries_InquiryId",
                        column: x => x.InquiryId,
                        principalTable: "Inquiries",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_OutboxMessages_BookingId",
                table: "OutboxMessages",
                column: "BookingId");

            migrationBuilder.CreateIndex(
                name: "IX_OutboxMessages_BookingLinkId",
                table: "OutboxMessages",
                column: "BookingLinkId");

            migrationBuilder.CreateIndex(
                name: "IX_OutboxMessages_ReplyId",
                table: "OutboxMessages",
                column: "ReplyId");

            migrationBuilder.CreateIndex(
                name: "IX_BookingLinks_InquiryId",
                table: "BookingLinks",
                column: "InquiryId");

            migrationBuilder.CreateIndex(
                name: "IX_Bookings_InquiryId_Active",
                table: "Bookings",
                column: "InquiryId",
                unique: true,
                filter: "\"State\" = 'Active'");

            migrationBuilder.CreateIndex(
                name: "IX_Bookings_LinkId",
                table: "Bookings",
                column: "LinkId");

            migrationBuilder.CreateIndex(
                name: "IX_Bookings_StartUtc",
                table: "Bookings",
                column: "StartUtc",
                unique: true,
                filter: "\"State\" = 'Active'");

            migrationBuilder.CreateIndex(
                name: "IX_InquiryReplies_InquiryId",
                table: "InquiryReplies",
                column: "InquiryId");

            migrationBuilder.AddForeignKey(
                name: "FK_OutboxMessages_BookingLinks_BookingLinkId",
                table: "OutboxMessages",
                column: "BookingLinkId",
                principalTable: "BookingLinks",
                principalColumn: "Id",
                onDelete: ReferentialAction.Cascade);

            migrationBuilder.AddForeignKey(
                name: "FK_OutboxMessages_Bookings_BookingId",
                table: "OutboxMessages",
                column: "BookingId",
                principalTable: "Bookings",
                principalColumn: "Id",
                onDelete: ReferentialAction.Cascade);

            migrationBuilder.AddForeignKey(
                name: "FK_OutboxMessages_InquiryReplies_ReplyId",
                table: "OutboxMessages",
                column: "ReplyId",
                principalTable: "InquiryReplies",
                principalColumn: "Id",
                onDelete: ReferentialAction.Cascade);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropForeignKey(
                name: "FK_OutboxMessages_BookingLinks_BookingLinkId",
                table: "OutboxMessages");

            migrationBuilder.DropForeignKey(
                name: "FK_OutboxMessages_Bookings_BookingId",
                table: "OutboxMessages");

            migrationBuilder.DropForeignKey(
                name: "FK_OutboxMessages_InquiryReplies_ReplyId",
                table: "OutboxMessages");

            migrationBuilder.DropTable(
                name: "Bookings");

            migrationBuilder.DropTable(
                name: "BookingSettings");

            migrationBuilder.DropTable(
                name: "DataSeeds");

            migrationBuilder.DropTable(
                name: "DigestDays");

            migrationBuilder.DropTable(
                name: "InquiryReplies");

            migrationBuilder.DropTable(
                name: "Referrals");

            migrationBuilder.DropTable(
                name: "ReplyTemplates");

            migrationBuilder.DropTable(
                name: "BookingLinks");

            migrationBuilder.DropIndex(
                name: "IX_OutboxMessages_BookingId",
                table: "OutboxMessages");

            migrationBuilder.DropIndex(
                name: "IX_OutboxMessages_BookingLinkId",
                table: "OutboxMessages");

            migrationBuilder.DropIndex(
                name: "IX_OutboxMessages_ReplyId",
                table: "OutboxMessages");

            migrationBuilder.DropColumn(
                name: "BookingId",
                table: "OutboxMessages");

            migrationBuilder.DropColumn(
                name: "BookingLinkId",
                table: "OutboxMessages");

            migrationBuilder.DropColumn(
                name: "ReplyId",
                table: "OutboxMessages");

            migrationBuilder.DropColumn(
                name: "DissociativeDisorder",
                table: "Inquiries");

            migrationBuilder.DropColumn(
                name: "FamilyPsychoticDisorder",
                table: "Inquiries");

            migrationBuilder.DropColumn(
                name: "SeizuresOrEpilepsy",
                table: "Inquiries");

            migrationBuilder.DropColumn(
                name: "SubstanceUseLastProblem",
                table: "Inquiries");

            migrationBuilder.DropColumn(
                name: "UrgentReminderQueuedUtc",
                table: "Inquiries");
        }
    }
}
