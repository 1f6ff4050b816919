namespace KapPractice.Web.Features.Content;

/// <summary>
/// What visitors can see at one moment: the published articles and pages, where renamed articles went and which
/// were deleted. Built from the database by <see cref="PublishedContent"/> and replaced whole on every change, so a
/// request reads one consistent copy without locks.
/// </summary>
public sealed class ContentLibrary
{
    private readonly Dictionary<string, Article> _bySlug;
    private readonly IReadOnlyDictionary<string, ContentPage> _pages;
    private readonly IReadOnlyDictionary<string, string> _redirects;
    private readonly IReadOnlySet<string> _gone;

    /// <param name="pages">By key (<see cref="SitePages"/>); a page missing here is not published.</param>
    /// <param name="redirects">An old article slug to the slug it answers under now.</param>
    /// <param name="gone">Slugs of deleted articles.</param>
    /// <param name="nextChangeUtc">When a scheduled article or page goes live, so the copy is rebuilt then.</param>
    public ContentLibrary(
        IEnumerable<Article> articles,
        IReadOnlyDictionary<string, ContentPage> pages,
        IReadOnlyDictionary<string, string>? redirects = null,
        IReadOnlySet<string>? gone = null,
        DateTime? nextChangeUtc = null)
    {
        ArgumentNullException.ThrowIfNull(articles);
        ArgumentNullException.ThrowIfNull(pages);
        Articles = [.. articles.OrderByDescending(a => a.Published).ThenBy(a => a.Title, StringComparer.Ordinal)];
        var duplicate = Articles.GroupBy(a => a.Slug, StringComparer.OrdinalIgnoreCase).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
        {
            throw new InvalidDataException($"Two articles share the slug '{duplicate.Key}'.");
        }

        _bySlug = Articles.ToDictionary(a => a.Slug, StringComparer.OrdinalIgnoreCase);
        _pages = pages;
        _redirects = redirects ?? new Dictionary<string, string>();
        _gone = gone ?? new HashSet<string>();
        NextChangeUtc = nextChangeUtc;
    }

    /// <summary>A site with nothing published yet.</summary>
    public static ContentLibrary Empty { get; } = new([], new Dictionary<string, ContentPage>());

    /// <summary>Newest first.</summary>
    public IReadOnlyList<Article> Articles { get; }

    public ContentPage? Home => Page(SitePages.Home);

    public ContentPage? About => Page(SitePages.About);

    public ContentPage? Privacy => Page(SitePages.Privacy);

    /// <summary>Null until she publishes her own: the site then says fees are given on request.</summary>
    public ContentPage? Fees => Page(SitePages.Fees);

    public DateTime? NextChangeUtc { get; }

    public ContentPage? Page(string key) => _pages.GetValueOrDefault(key);

    public Article? Find(string slug) => _bySlug.GetValueOrDefault(slug);

    /// <summary>The slug an article answers under now, when <paramref name="slug"/> is one it had before.</summary>
    public string? RedirectFor(string slug) => _redirects.GetValueOrDefault(slug.ToLowerInvariant());

    /// <summary>True when <paramref name="slug"/> belonged to an article she deleted.</summary>
    public bool IsGone(string slug) => _gone.Contains(slug.ToLowerInvariant());
}
