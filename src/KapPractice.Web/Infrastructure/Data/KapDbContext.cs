using KapPractice.Web.Domain;
using KapPractice.Web.Infrastructure.Data.Encryption;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace KapPractice.Web.Infrastructure.Data;

/// <summary>The app's database on SQLite (its migrations in Migrations/); <see cref="PostgreSqlKapDbContext"/> is the same model on PostgreSQL.</summary>
public class KapDbContext : IdentityDbContext<IdentityUser>
{
    private readonly DataKeyRing keyRing;

    public KapDbContext(DbContextOptions<KapDbContext> options, DataKeyRing keyRing)
        : this((DbContextOptions)options, keyRing)
    {
    }

    /// <summary>For the provider's own context type, which has its own migrations.</summary>
    protected KapDbContext(DbContextOptions options, DataKeyRing keyRing)
        : base(options) => this.keyRing = keyRing;

    /// <summary>The keys this context's converters seal and open client data with (see ClientDataModel).</summary>
    public DataKeyRing KeyRing => keyRing;

    public DbSet<Inquiry> Inquiries => Set<Inquiry>();
    public DbSet<InquiryNote> InquiryNotes => Set<InquiryNote>();
    public DbSet<OutboxMessage> OutboxMessages => Set<OutboxMessage>();
    public DbSet<AuditEntry> AuditEntries => Set<AuditEntry>();
    public DbSet<UsedFillToken> UsedFillTokens => Set<UsedFillToken>();
    public DbSet<AdminSession> AdminSessions => Set<AdminSession>();
    public DbSet<SignInFailure> SignInFailures => Set<SignInFailure>();
    public DbSet<EncryptionKeyRecord> EncryptionKeys => Set<EncryptionKeyRecord>();
    public DbSet<ScheduleLease> ScheduleLeases => Set<ScheduleLease>();
    public DbSet<InquiryPermit> InquiryPermits => Set<InquiryPermit>();

    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        ArgumentNullException.ThrowIfNull(configurationBuilder);
        // SQLite has no time zone: every DateTime is written as UTC and read back as UTC.
        configurationBuilder.Properties<DateTime>().HaveConversion<UtcDateTimeConverter>();
        configurationBuilder.Properties<DateTime?>().HaveConversion<UtcDateTimeConverter>();
        // States are stored by name (answers too, inside their ciphertext): safe to extend.
        configurationBuilder.Properties<Enum>().HaveConversion<string>().HaveMaxLength(40);
    }

    protected override void OnModelCreating(ModelBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        base.OnModelCreating(builder);

        builder.Entity<Inquiry>(inquiry =>
        {
            // Answers, free text and reasons are ciphertext (ClientDataModel); their limits are the form's.
            inquiry.HasMany(i => i.Notes).WithOne().HasForeignKey(n => n.InquiryId).OnDelete(DeleteBehavior.Cascade);
            inquiry.HasMany(i => i.OutboxMessages).WithOne(m => m.Inquiry).HasForeignKey(m => m.InquiryId).OnDelete(DeleteBehavior.Cascade);

            inquiry.HasIndex(i => i.ReceivedUtc);
            inquiry.HasIndex(i => new { i.IsSuspectedSpam, i.Status });
        });

        builder.Entity<InquiryNote>(note => note.Property(n => n.Author).HasMaxLength(TextLimits.AccountName));

        builder.Entity<OutboxMessage>(message =>
        {
            message.Property(m => m.MessageId).HasMaxLength(TextLimits.MessageId);
            message.HasIndex(m => m.MessageId).IsUnique();
            message.HasIndex(m => new { m.State, m.NextAttemptUtc });
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

        builder.Entity<EncryptionKeyRecord>(key =>
        {
            key.ToTable("EncryptionKeys");
            key.HasKey(k => k.KeyId);
            key.Property(k => k.KeyId).HasMaxLength(8);
        });

        builder.Entity<InquiryPermit>(permit =>
        {
            permit.Property(p => p.ClientHash).HasMaxLength(32);
            permit.HasIndex(p => new { p.ClientHash, p.TakenUtc });
            permit.HasIndex(p => p.TakenUtc);
        });

        builder.Entity<ScheduleLease>(lease =>
        {
            lease.HasKey(l => l.Name);
            lease.Property(l => l.Name).HasMaxLength(ScheduleLease.NameLength);
            lease.Property(l => l.Holder).HasMaxLength(ScheduleLease.HolderLength);
        });

        // Last, so it sees every property: which columns hold ciphertext, and the recipient hash index.
        builder.EncryptClientData(keyRing);
    }

    private sealed class UtcDateTimeConverter() : ValueConverter<DateTime, DateTime>(
        v => v.Kind == DateTimeKind.Utc ? v : v.ToUniversalTime(),
        v => DateTime.SpecifyKind(v, DateTimeKind.Utc));
}
