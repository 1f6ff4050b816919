using System.Globalization;

namespace KapPractice.Web.Features.Content;

/// <summary>An article as visitors see it.</summary>
/// <param name="Html">Rendered from her Markdown and sanitized (ContentRenderer); never from visitor input.</param>
/// <param name="Image">Her cover image, for the page and link previews; null without one.</param>
public sealed record Article(
    string Slug,
    string Title,
    string Summary,
    string Author,
    DateOnly Published,
    DateOnly? Updated,
    string Html,
    int WordCount,
    ContentImageView? Image = null)
{
    public int ReadingMinutes => MarkdownContent.ReadingMinutes(WordCount);

    public DateOnly LastModified => Updated ?? Published;

    public string Path => PathOf(Slug);

    public static string PathOf(string slug) => "/articles/" + slug;
}

/// <summary>A page with a fixed address (home introduction, about, privacy, fees) as visitors see it.</summary>
public sealed record ContentPage(string Title, string Summary, DateOnly? Updated, string Html, ContentImageView? Image = null);

/// <summary>The pages of the site with a fixed address; each is a page she edits under its name.</summary>
public static class SitePages
{
    public const string Home = "home";
    public const string About = "about";
    public const string Privacy = "privacy";
    public const string Fees = "fees";

    /// <summary>In the order the content list shows them.</summary>
    public static IReadOnlyList<string> All { get; } = [Home, About, Fees, Privacy];

    /// <summary>Where visitors find each page.</summary>
    public static string PathOf(string key) => key == Home ? "/" : "/" + key;

    /// <summary>What the content list calls each page.</summary>
    public static string LabelOf(string key) => key switch
    {
        Home => "Home page introduction",
        About => "About (your bio)",
        Fees => "Fees",
        Privacy => "Privacy notice",
        _ => key,
    };
}

/// <summary>One picture of her library, ready for an img element: every width it has, for srcset.</summary>
public sealed record ContentImageView(string Key, string Alt, bool IsDecorative, IReadOnlyList<ContentImageFileView> Files)
{
    /// <summary>The widest file: its size gives the img element its proportions.</summary>
    public ContentImageFileView Largest => Files.MaxBy(f => f.Width)!;

    public int Width => Largest.Width;

    public int Height => Largest.Height;

    /// <summary>The file a browser without srcset shows (<see cref="Images.ProcessedImage.SrcFile"/>).</summary>
    public string Src => Images.ProcessedImage.SrcFile(Files, f => f.Width).Path;

    public string SrcSet => string.Join(", ", Files.OrderBy(f => f.Width).Select(f => f.Path + " " + f.Width.ToString(CultureInfo.InvariantCulture) + "w"));
}

public sealed record ContentImageFileView(string FileName, int Width, int Height)
{
    public string Path => ContentRenderer.MediaPath + FileName;
}
