using KapPractice.Web.Domain;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace KapPractice.Web.Infrastructure.Data;

public sealed class KapDbContext(DbContextOptions<KapDbContext> options) : IdentityDbContext<IdentityUser>(options)
{
    public DbSet<Inquiry> Inquiries => Set<Inquiry>();
    public DbSet<InquiryNote> InquiryNotes => Set<InquiryNote>();
    public DbSet<OutboxMessage> OutboxMessages => Set<OutboxMessage>();
    public DbSet<AuditEntry> AuditEntries => Set<AuditEntry>();
    public DbSet<UsedFillToken> UsedFillTokens => Set<UsedFillToken>();
    public DbSet<AdminSession> AdminSessions => Set<AdminSession>();
    public DbSet<SignInFailure> SignInFailures => Set<SignInFailure>();

    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        ArgumentNullException.ThrowIfNull(configurationBuilder);
        // SQLite has no time zone: every DateTime is written as UTC and read back as UTC.
        configurationBuilder.Properties<DateTime>().HaveConversion<UtcDateTimeConverter>();
        configurationBuilder.Properties<DateTime?>().HaveConversion<UtcDateTimeConverter>();
        // Answers and states are stored by name: readable in the file, safe to extend.
        configurationBuilder.Properties<Enum>().HaveConversion<string>().HaveMaxLength(40);
    }

    protected override void OnModelCreating(ModelBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        base.OnModelCreating(builder);

        builder.Entity<Inquiry>(inquiry =>
        {
            inquiry.Property(i => i.FullName).HasMaxLength(TextLimits.FullName);
            inquiry.Property(i => i.Pronouns).HasMaxLength(TextLimits.Pronouns);
            inquiry.Property(i => i.Email).HasMaxLength(TextLimits.Email);
            inquiry.Property(i => i.Phone).HasMaxLength(TextLimits.Phone);
            inquiry.Property(i => i.ConcernOther).HasMaxLength(TextLimits.OtherText);
            inquiry.Property(i => i.MedicationOther).HasMaxLength(TextLimits.OtherText);
            inquiry.Property(i => i.Message).HasMaxLength(TextLimits.Message);
            inquiry.Property(i => i.SpamReason).HasMaxLength(TextLimits.SpamReason);

            inquiry.PrimitiveCollection(i => i.Concerns).ElementType().HasConversion<string>();
            inquiry.PrimitiveCollection(i => i.TreatmentsTried).ElementType().HasConversion<string>();
            inquiry.PrimitiveCollection(i => i.Medications).ElementType().HasConversion<string>();
            inquiry.PrimitiveCollection(i => i.ScreeningReasons);

            inquiry.HasMany(i => i.Notes).WithOne().HasForeignKey(n => n.InquiryId).OnDelete(DeleteBehavior.Cascade);
            inquiry.HasMany(i => i.OutboxMessages).WithOne(m => m.Inquiry).HasForeignKey(m => m.InquiryId).OnDelete(DeleteBehavior.Cascade);

            inquiry.HasIndex(i => i.ReceivedUtc);
            inquiry.HasIndex(i => new { i.IsSuspectedSpam, i.Status });
        });

        builder.Entity<InquiryNote>(note =>
        {
            note.Property(n => n.Author).HasMaxLength(TextLimits.AccountName);
            note.Property(n => n.Text).HasMaxLength(TextLimits.Note);
        });

        builder.Entity<OutboxMessage>(message =>
        {
            // Addresses compare without case, so the once-a-day acknowledgement check can use the index.
            message.Property(m => m.Recipient).HasMaxLength(TextLimits.Email).UseCollation("NOCASE");
            message.Property(m => m.MessageId).HasMaxLength(TextLimits.MessageId);
            message.Property(m => m.LastError).HasMaxLength(TextLimits.DeliveryError);
            message.HasIndex(m => m.MessageId).IsUnique();
            message.HasIndex(m => new { m.State, m.NextAttemptUtc });
            message.HasIndex(m => new { m.Kind, m.Recipient, m.CreatedUtc });
        });

        builder.Entity<UsedFillToken>(token =>
        {
            token.Property(t => t.Id).HasMaxLength(UsedFillToken.IdLength);
            token.HasIndex(t => t.ExpiresUtc);
        });

        builder.Entity<AuditEntry>(entry =>
        {
            entry.Property(e => e.Actor).HasMaxLength(TextLimits.AccountName);
            entry.Property(e => e.Action).HasMaxLength(60);
            entry.Property(e => e.Detail).HasMaxLength(400);
            entry.HasIndex(e => e.OccurredUtc);
        });

        builder.Entity<AdminSession>(session =>
        {
            session.Property(s => s.Id).HasMaxLength(40);
            session.Property(s => s.Client).HasMaxLength(100);
            session.Property(s => s.Method).HasMaxLength(60);
            session.Property(s => s.EndedReason).HasMaxLength(60);
            // Deleting an account ends its sessions with it.
            session.HasOne<IdentityUser>().WithMany().HasForeignKey(s => s.UserId).OnDelete(DeleteBehavior.Cascade);
            session.HasIndex(s => new { s.UserId, s.EndedUtc });
        });

        builder.Entity<SignInFailure>(failure =>
        {
            failure.Property(f => f.Client).HasMaxLength(64);
            failure.HasOne<IdentityUser>().WithMany().HasForeignKey(f => f.UserId).OnDelete(DeleteBehavior.Cascade);
            failure.HasIndex(f => new { f.UserId, f.OccurredUtc });
        });
    }

    private sealed class UtcDateTimeConverter() : ValueConverter<DateTime, DateTime>(
        v => v.Kind == DateTimeKind.Utc ? v : v.ToUniversalTime(),
        v => DateTime.SpecifyKind(v, DateTimeKind.Utc));
}
