namespace KapPractice.Web.Features.AdminShell;

/// <summary>Previous and next links for a paged list; <paramref name="UrlFor"/> builds the link to a page.</summary>
public sealed record Pager(int Page, int TotalPages, Func<int, string> UrlFor);
