using KapPractice.Web.Domain;
using KapPractice.Web.Infrastructure.Data;
using KapPractice.Web.Infrastructure.Outbox;
using Microsoft.EntityFrameworkCore;

namespace KapPractice.Web.Features.InquiryReview;

/// <summary>What the practitioner asked the list for: a tab, filters, a search and a page.</summary>
public sealed record InquiryFilter(bool Spam, InquiryStatus? Status, ScreeningOutcome? Outcome, string? Search, int Page)
{
    public const int PageSize = 25;
    public const int MaxSearchLength = 100;

    public static InquiryFilter From(bool spam, InquiryStatus? status, ScreeningOutcome? outcome, string? search, int? page) => new(
        spam,
        status,
        outcome,
        string.IsNullOrWhiteSpace(search) ? null : search.Trim()[..Math.Min(search.Trim().Length, MaxSearchLength)],
        page is > 0 ? page.Value : 1);

    /// <summary>Set for "overdue only": New inquiries received before this instant (FollowUpRules), the rest left out.</summary>
    public DateTime? OverdueBeforeUtc { get; init; }

    public bool IsFiltered => Status is not null || Outcome is not null || Search is not null || OverdueBeforeUtc is not null;

    /// <summary>The query of this filter (page left out unless given; spam=true for the export of the spam tab), for links through routing.</summary>
    public RouteValueDictionary RouteValues(int? page = null, bool spamTab = false)
    {
        var values = new RouteValueDictionary();
        if (Status is { } status)
        {
            values["status"] = status.ToString();
        }

        if (Outcome is { } outcome)
        {
            values["outcome"] = outcome.ToString();
        }

        if (Search is not null)
        {
            values["q"] = Search;
        }

        if (page is > 1)
        {
            values["page"] = page.Value.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        if (spamTab)
        {
            values["spam"] = "true";
        }

        if (OverdueBeforeUtc is not null)
        {
            values["overdue"] = "true";
        }

        return values;
    }

    /// <summary>A description for the audit trail: which filters were used, never the search text.</summary>
    public string AuditDescription() =>
        $"tab: {(Spam ? "spam" : "inquiries")}; status: {Status?.ToString() ?? "any"}; outcome: {Outcome?.ToString() ?? "any"}; search: {(Search is null ? "no" : "yes")}{(OverdueBeforeUtc is null ? "" : "; overdue only")}";

    public IQueryable<Inquiry> Apply(IQueryable<Inquiry> inquiries)
    {
        ArgumentNullException.ThrowIfNull(inquiries);
        var query = inquiries.Where(i => i.IsSuspectedSpam == Spam);
        if (Status is { } status)
        {
            query = query.Where(i => i.Status == status);
        }

        if (OverdueBeforeUtc is { } overdueBefore)
        {
            query = query.Where(i => i.Status == InquiryStatus.New && i.ReceivedUtc < overdueBefore);
        }

        return query.OrderByDescending(i => i.ReceivedUtc).ThenByDescending(i => i.Id);
    }

    /// <summary>Whether the filter needs sealed values opened in memory (<see cref="Matches"/>) after <see cref="Apply"/>.</summary>
    public bool FiltersSealedValues => Search is not null || Outcome is not null;

    /// <summary>
    /// The search and the outcome filter, applied in memory after <see cref="Apply"/>: names, addresses and the
    /// screening outcome are sealed, so the database cannot compare them. The search ignores case; what the user
    /// types is matched literally.
    /// </summary>
    public bool Matches(string? fullName, string? email, ScreeningOutcome? outcome)
    {
        if (Outcome is { } wanted && outcome != wanted)
        {
            return false;
        }

        return Search is not { } search
            || (fullName ?? "").Contains(search, StringComparison.OrdinalIgnoreCase)
            || (email ?? "").Contains(search, StringComparison.OrdinalIgnoreCase);
    }
}

/// <summary>One line of the list: no answers beyond who and when, the screening and follow-up marks.</summary>
public sealed record InquiryRow(
    int Id,
    DateTime ReceivedUtc,
    string FullName,
    string Email,
    ScreeningOutcome Outcome,
    InquiryStatus Status,
    bool Unread,
    OutboxState? Notification);

public sealed record InquiryListPage(
    InquiryFilter Filter,
    IReadOnlyList<InquiryRow> Rows,
    int TotalCount,
    int TotalPages,
    IReadOnlyList<int> FailedNotificationIds,
    int FailedNotifications,
    int SpamCount,
    IReadOnlyList<FailedMail> OtherFailures);

/// <summary>An email other than a notification to the practitioner that failed for good (see OutboxQueries.FailedForGood).</summary>
public sealed record FailedMail(OutboxKind Kind, int? InquiryId, DateTime CreatedUtc)
{
    /// <summary>Named one by one, so a kind added later (the go-live test email) is not taken for booking mail.</summary>
    public bool IsBooking => Kind is OutboxKind.BookingLinkToClient or OutboxKind.BookingInviteToClient or OutboxKind.BookingInviteToPractice
        or OutboxKind.BookingCancelToClient or OutboxKind.BookingCancelToPractice or OutboxKind.BookingReminderToClient;
}

public static class InquiryQueries
{
    public static async Task<InquiryListPage> LoadPageAsync(this KapDbContext db, InquiryFilter filter, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(filter);
        var query = filter.Apply(db.Inquiries.AsNoTracking());
        int total;
        int page;
        if (!filter.FiltersSealedValues)
        {
            total = await query.CountAsync(cancellationToken);
            page = Math.Min(filter.Page, PageCount(total));
            query = query.Skip((page - 1) * InquiryFilter.PageSize).Take(InquiryFilter.PageSize);
        }
        else
        {
            var matches = await MatchingIdsAsync(db, query, filter, cancellationToken);
            total = matches.Count;
            page = Math.Min(filter.Page, PageCount(total));
            var onPage = matches.Skip((page - 1) * InquiryFilter.PageSize).Take(InquiryFilter.PageSize).ToList();
            query = query.Where(i => onPage.Contains(i.Id));
        }

        var totalPages = PageCount(total);
        var rows = await query
            .Select(i => new InquiryRow(
                i.Id,
                i.ReceivedUtc,
                i.FullName,
                i.Email,
                i.Outcome,
                i.Status,
                i.FirstViewedUtc == null,
                i.OutboxMessages
                    .Where(m => m.Kind == OutboxKind.PractitionerNotification)
                    .OrderByDescending(m => m.Id)
                    .Select(m => (OutboxState?)m.State)
                    .FirstOrDefault()))
            .ToListAsync(cancellationToken);
        var failed = await db.InquiriesWithFailedNotification().CountAsync(cancellationToken);
        var failedIds = failed == 0 ? [] : await db.InquiriesWithFailedNotification()
            .OrderByDescending(i => i.ReceivedUtc).Select(i => i.Id).Take(20).ToListAsync(cancellationToken);
        var spam = await db.Inquiries.CountAsync(i => i.IsSuspectedSpam, cancellationToken);
        var others = await db.FailedForGood().AsNoTracking()
            .Where(m => m.Kind != OutboxKind.PractitionerNotification)
            .OrderByDescending(m => m.Id)
            .Take(100)
            .Select(m => new FailedMail(m.Kind, m.InquiryId, m.CreatedUtc))
            .ToListAsync(cancellationToken);
        return new InquiryListPage(filter with { Page = page }, rows, total, totalPages, failedIds, failed, spam, others);
    }

    /// <summary>
    /// The ids, in the list's order, of the inquiries the filter's search and outcome match. Reads, for every inquiry the
    /// other filters leave (thousands at most), only the sealed values the filter compares (the name and address for a
    /// search, the outcome for the outcome filter) as stored, then opens them on every core through the model's own
    /// converters (the same opening, and the same unreadable-value handling, as any read), and matches in memory;
    /// docs/performance.md gives the cost. The query is EF's translation of <see cref="InquiryFilter.Apply"/>, run as a
    /// command so that the envelopes come back unopened.
    /// </summary>
    private static async Task<List<int>> MatchingIdsAsync(KapDbContext db, IQueryable<Inquiry> query, InquiryFilter filter, CancellationToken cancellationToken)
    {
        // What the query selects, the sealed columns it reads after the id (in that order), and how their opened values
        // are matched, together for each kind of filter.
        var (compared, columns, matches) = (filter.Search is not null, filter.Outcome is not null) switch
        {
            (true, true) => (
                query.Select(i => new Candidate(i.Id, i.FullName, i.Email, i.Outcome)),
                new[] { nameof(Inquiry.FullName), nameof(Inquiry.Email), nameof(Inquiry.Outcome) },
                (Func<object?[], bool>)(opened => filter.Matches((string?)opened[0], (string?)opened[1], (ScreeningOutcome?)opened[2]))),
            (true, false) => (
                query.Select(i => new Candidate(i.Id, i.FullName, i.Email, null)),
                [nameof(Inquiry.FullName), nameof(Inquiry.Email)],
                opened => filter.Matches((string?)opened[0], (string?)opened[1], null)),
            _ => (
                query.Select(i => new Candidate(i.Id, null, null, i.Outcome)),
                [nameof(Inquiry.Outcome)],
                opened => filter.Matches(null, null, (ScreeningOutcome?)opened[0])),
        };
        var inquiry = db.Model.FindEntityType(typeof(Inquiry))!;
        var sealedColumns = columns.Select(name => inquiry.FindProperty(name)!).ToArray();
        var converters = sealedColumns.Select(property => property.GetValueConverter()!).ToArray();

        await using var command = compared.CreateDbCommand();
        await db.Database.OpenConnectionAsync(cancellationToken);
        try
        {
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            // Each value is opened by its column's converter: read in another order, every value would be opened as another
            // column's, logged and shown as unreadable, and the search would find nothing.
            string[] expected = [inquiry.FindProperty(nameof(Inquiry.Id))!.GetColumnName(), .. sealedColumns.Select(property => property.GetColumnName())];
            var selected = Enumerable.Range(0, reader.FieldCount).Select(reader.GetName).ToArray();
            if (!selected.SequenceEqual(expected, StringComparer.Ordinal))
            {
                throw new InvalidOperationException($"The candidates' query selected ({string.Join(", ", selected)}), not ({string.Join(", ", expected)}).");
            }

            return await SealedBatches.MatchAsync(Rows(reader, sealedColumns.Length, cancellationToken), converters, matches, SealedBatches.Size, cancellationToken);
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }

    /// <summary>Each row's id and its sealed values as stored.</summary>
    private static async IAsyncEnumerable<(int Id, byte[]?[] Sealed)> Rows(
        System.Data.Common.DbDataReader reader, int sealedColumns, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        while (await reader.ReadAsync(cancellationToken))
        {
            var row = new byte[]?[sealedColumns];
            for (var column = 0; column < sealedColumns; column++)
            {
                row[column] = reader.IsDBNull(column + 1) ? null : reader.GetFieldValue<byte[]>(column + 1);
            }

            yield return (reader.GetInt32(0), row);
        }
    }

    /// <summary>What the candidates' query selects (its SQL only: the values are read as stored, see <see cref="MatchingIdsAsync"/>).</summary>
    private sealed record Candidate(int Id, string? FullName, string? Email, ScreeningOutcome? Outcome);

    private static int PageCount(int total) => Math.Max(1, (total + InquiryFilter.PageSize - 1) / InquiryFilter.PageSize);
}
