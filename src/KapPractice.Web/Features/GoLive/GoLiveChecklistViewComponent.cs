using KapPractice.Web.Infrastructure;
using KapPractice.Web.Infrastructure.Data;
using KapPractice.Web.Infrastructure.Email;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;

namespace KapPractice.Web.Features.GoLive;

/// <summary>The go-live checklist at the top of the admin home, shown only while some item is not done.</summary>
public sealed class GoLiveChecklistViewComponent(KapDbContext db, IOptions<EmailOptions> email, IOptions<PracticeOptions> practice, IConfiguration configuration)
    : ViewComponent
{
    /// <summary>Given explicitly: view components look in Views/Shared/Components, which this project does not use.</summary>
    public const string ViewPath = "~/Features/GoLive/Components/GoLiveChecklist/Default.cshtml";

    public async Task<IViewComponentResult> InvokeAsync()
    {
        var items = await GoLiveChecklist.ComputeAsync(db, email.Value, practice.Value, configuration, HttpContext.RequestAborted);
        return items.All(i => i.Done) ? Content(string.Empty) : View(ViewPath, items);
    }
}
