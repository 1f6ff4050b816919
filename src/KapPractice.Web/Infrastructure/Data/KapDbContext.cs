using KapPractice.Web.Domain;
using KapPractice.Web.Infrastructure.Data.Encryption;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace KapPractice.Web.Infrastructure.Data;

/// <summary>
/// The app's database on SQLite (its migrations in Migrations/); <see cref="PostgreSqlKapDbContext"/> is the same model on
/// PostgreSQL. How a context holds its key ring's model seat is in KapDbContext.ModelSeat.cs.
/// </summary>
public partial class KapDbContext : IdentityDbContext<IdentityUser>
{
    private readonly DataKeyRing keyRing;

    public KapDbContext(DbContextOptions<KapDbContext> options, DataKeyRing keyRing)
        : this((DbContextOptions)options, keyRing)
    {
    }

    /// <summary>For the provider's own context type, which has its own migrations.</summary>
    protected KapDbContext(DbContextOptions options, DataKeyRing keyRing)
        : base(options)
    {
        ArgumentNullException.ThrowIfNull(keyRing);
        this.keyRing = keyRing;
        seat = keyRing.HoldSeatForContext();
    }

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
    public DbSet<InquiryReply> InquiryReplies => Set<InquiryReply>();
    public DbSet<ReplyTemplate> ReplyTemplates => Set<ReplyTemplate>();
    public DbSet<Referral> Referrals => Set<Referral>();
    public DbSet<DataSeed> DataSeeds => Set<DataSeed>();
    public DbSet<DigestDay> DigestDays => Set<DigestDay>();
    public DbSet<Booking> Bookings => Set<Booking>();
    public DbSet<BookingLink> BookingLinks => Set<BookingLink>();
    public DbSet<BookingSettings> BookingSettings => Set<BookingSettings>();
    public DbSet<ScheduleLease> ScheduleLeases => Set<ScheduleLease>();
    public DbSet<InquiryPermit> InquiryPermits => Set<InquiryPermit>();
    public DbSet<ContentItem> ContentItems => Set<ContentItem>();
    public DbSet<ContentRevision> ContentRevisions => Set<ContentRevision>();
    public DbSet<ContentRedirect> ContentRedirects => Set<ContentRedirect>();
    public DbSet<ContentVersion> ContentVersions => Set<ContentVersion>();
    public DbSet<ContentImage> ContentImages => Set<ContentImage>();
    public DbSet<ContentImageFile> ContentImageFiles => Set<ContentImageFile>();

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
            // The admin list reads a tab (and a status) newest first (InquiryQueries): indexes in that order let the
            // database read one page and stop, rather than sort every inquiry of the tab (docs/performance.md).
            inquiry.HasIndex(i => new { i.IsSuspectedSpam, i.ReceivedUtc, i.Id });
            inquiry.HasIndex(i => new { i.IsSuspectedSpam, i.Status, i.ReceivedUtc, i.Id });
        });

        builder.Entity<InquiryNote>(note => note.Property(n => n.Author).HasMaxLength(TextLimits.AccountName));

        builder.Entity<OutboxMessage>(message =>
        {
            message.Property(m => m.MessageId).HasMaxLength(TextLimits.MessageId);
            message.HasIndex(m => m.MessageId).IsUnique();
            message.HasIndex(m => new { m.State, m.NextAttemptUtc });
        });

        builder.Entity<InquiryReply>(reply =>
        {
            reply.HasIndex(r => r.DraftId).IsUnique();
            // Subject and body are ciphertext (ClientDataModel); their limits are the composer's.
            reply.Property(r => r.Author).HasMaxLength(TextLimits.AccountName);
            reply.HasOne<Inquiry>().WithMany().HasForeignKey(r => r.InquiryId).OnDelete(DeleteBehavior.Cascade);
            reply.HasMany(r => r.OutboxMessages).WithOne(m => m.Reply).HasForeignKey(m => m.ReplyId).OnDelete(DeleteBehavior.Cascade);
        });

        builder.Entity<ReplyTemplate>(template =>
        {
            template.Property(t => t.Name).HasMaxLength(TextLimits.TemplateName);
            template.Property(t => t.Subject).HasMaxLength(TextLimits.ReplySubject);
            template.Property(t => t.Body).HasMaxLength(TextLimits.ReplyBody);
        });

        builder.Entity<Referral>(referral =>
        {
            referral.Property(r => r.Name).HasMaxLength(TextLimits.ReferralName);
            referral.Property(r => r.Purpose).HasMaxLength(TextLimits.ReferralPurpose);
            referral.Property(r => r.Contact).HasMaxLength(TextLimits.ReferralContact);
        });

        ConfigureSiteContent(builder);

        builder.Entity<DataSeed>(seed =>
        {
            seed.HasKey(s => s.Name);
            seed.Property(s => s.Name).HasMaxLength(60);
        });

        builder.Entity<Booking>(booking =>
        {
            booking.HasOne(b => b.Inquiry).WithMany().HasForeignKey(b => b.InquiryId).OnDelete(DeleteBehavior.Cascade);
            booking.HasOne<BookingLink>().WithMany().HasForeignKey(b => b.LinkId).OnDelete(DeleteBehavior.SetNull);
            booking.HasMany(b => b.OutboxMessages).WithOne().HasForeignKey(m => m.BookingId).OnDelete(DeleteBehavior.Cascade);
            booking.Property(b => b.Uid).HasMaxLength(80);
            // Every change raises the sequence, so two changes made from the same version cannot both be saved.
            booking.Property(b => b.Sequence).IsConcurrencyToken();
            // One active call per start time and per inquiry: the database, not a check before saving, decides a race.
            booking.HasIndex(b => b.StartUtc).IsUnique().HasFilter("\"State\" = 'Active'");
            booking.HasIndex(b => b.InquiryId).IsUnique().HasFilter("\"State\" = 'Active'").HasDatabaseName("IX_Bookings_InquiryId_Active");
        });

        builder.Entity<BookingLink>(link =>
        {
            link.HasOne<Inquiry>().WithMany().HasForeignKey(l => l.InquiryId).OnDelete(DeleteBehavior.Cascade);
            link.HasMany(l => l.OutboxMessages).WithOne().HasForeignKey(m => m.BookingLinkId).OnDelete(DeleteBehavior.Cascade);
            link.Property(l => l.Nonce).HasMaxLength(40);
            link.Property(l => l.BaseUrl).HasMaxLength(300);
            link.HasIndex(l => l.InquiryId);
        });

        builder.Entity<BookingSettings>(settings =>
        {
            settings.Property(s => s.Id).ValueGeneratedNever();
            settings.Property(s => s.WeeklyHours).HasMaxLength(1000);
            settings.Property(s => s.DaysOff).HasMaxLength(4000);
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

        builder.Entity<DigestDay>(day => day.HasKey(d => d.LocalDate));

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
        builder.EncryptClientData(seat);
    }

    private sealed class UtcDateTimeConverter() : ValueConverter<DateTime, DateTime>(
        v => v.Kind == DateTimeKind.Utc ? v : v.ToUniversalTime(),
        v => DateTime.SpecifyKind(v, DateTimeKind.Utc));
    /// <summary>The practitioner's pages, articles, their revisions and images: practice content, stored unencrypted.</summary>
    private static void ConfigureSiteContent(ModelBuilder builder)
    {
        builder.Entity<ContentItem>(item =>
        {
            item.Property(i => i.Slug).HasMaxLength(ContentItem.SlugLength);
            // Pages and articles are told apart by kind, so a page named "fees" and an article "fees" could both exist.
            item.HasIndex(i => new { i.Kind, i.Slug }).IsUnique();
            item.Property(i => i.ChangedBy).HasMaxLength(TextLimits.AccountName);
            item.HasMany(i => i.Revisions).WithOne().HasForeignKey(r => r.ContentItemId).OnDelete(DeleteBehavior.Cascade);
        });

        builder.Entity<ContentRevision>(revision =>
        {
            revision.HasIndex(r => new { r.ContentItemId, r.Number }).IsUnique();
            revision.Property(r => r.Title).HasMaxLength(ContentRevision.TitleLength);
            revision.Property(r => r.Slug).HasMaxLength(ContentItem.SlugLength);
            revision.Property(r => r.Summary).HasMaxLength(ContentRevision.SummaryLength);
            revision.Property(r => r.Author).HasMaxLength(ContentRevision.AuthorLength);
            revision.Property(r => r.ImageName).HasMaxLength(ContentImage.KeyLength);
            revision.Property(r => r.Body).HasMaxLength(ContentRevision.BodyLength);
            revision.Property(r => r.SavedBy).HasMaxLength(TextLimits.AccountName);
            revision.Property(r => r.Note).HasMaxLength(ContentRevision.NoteLength);
        });

        builder.Entity<ContentRedirect>(redirect =>
        {
            redirect.HasKey(r => r.FromSlug);
            redirect.Property(r => r.FromSlug).HasMaxLength(ContentItem.SlugLength);
            redirect.HasOne<ContentItem>().WithMany().HasForeignKey(r => r.ContentItemId).OnDelete(DeleteBehavior.Cascade);
        });

        builder.Entity<ContentVersion>(version =>
        {
            version.Property(v => v.Id).ValueGeneratedNever();
            version.HasData(new ContentVersion { Id = ContentVersion.SingletonId, Number = 0 });
        });

        builder.Entity<ContentImage>(image =>
        {
            image.HasIndex(i => i.Key).IsUnique();
            image.Property(i => i.Key).HasMaxLength(ContentImage.KeyLength);
            image.Property(i => i.Alt).HasMaxLength(ContentImage.AltLength);
            image.Property(i => i.UploadedBy).HasMaxLength(TextLimits.AccountName);
            image.HasMany(i => i.Files).WithOne().HasForeignKey(f => f.ContentImageId).OnDelete(DeleteBehavior.Cascade);
        });

        builder.Entity<ContentImageFile>(file =>
        {
            file.HasKey(f => f.FileName);
            file.Property(f => f.FileName).HasMaxLength(ContentImageFile.FileNameLength);
            file.Property(f => f.ContentType).HasMaxLength(ContentImageFile.ContentTypeLength);
        });
    }
}
