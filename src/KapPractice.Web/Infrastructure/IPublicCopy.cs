namespace KapPractice.Web.Infrastructure;

/// <summary>The copy of the site's content that public pages are rendered from (the public pages' cache is keyed by it).</summary>
public interface IPublicCopy
{
    /// <summary>
    /// A number that changes whenever this instance rebuilds its copy: on a change of the stored content version, and
    /// also when a scheduled change falls due, which rebuilds the copy before any version changes.
    /// </summary>
    long Generation { get; }
}
