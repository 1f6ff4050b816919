namespace KapPractice.Web.Features.ContentEditing;

/// <summary>The addresses of the content area, one place for each.</summary>
public static class ContentPaths
{
    public const string List = "/admin/content";
    public const string NewArticle = List + "/new";

    /// <summary>One page or article (the editor), as a route template; its own pages hang below it.</summary>
    public const string Item = List + "/{id:int}";

    public static string Editor(int id) => $"{List}/{id}";

    public static string Delete(int id) => $"{List}/{id}/delete";

    public static string History(int id) => $"{List}/{id}/history";

    public static string Unpublish(int id) => $"{List}/{id}/unpublish";
}
