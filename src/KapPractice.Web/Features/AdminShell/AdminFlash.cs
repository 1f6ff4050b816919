namespace KapPractice.Web.Features.AdminShell;

/// <summary>The one-line message an admin page shows after a change ("Status saved."), carried across the redirect.</summary>
public static class AdminFlash
{
    private const string Key = "KapPractice.AdminFlash";

    public static void SetAdminFlash(this Microsoft.AspNetCore.Mvc.ViewFeatures.ITempDataDictionary tempData, string message)
    {
        ArgumentNullException.ThrowIfNull(tempData);
        tempData[Key] = message;
    }

    public static string? TakeAdminFlash(this Microsoft.AspNetCore.Mvc.ViewFeatures.ITempDataDictionary tempData)
    {
        ArgumentNullException.ThrowIfNull(tempData);
        return tempData[Key] as string;
    }
}
