using KapPractice.Web.Domain;
using System.Net;
using KapPractice.IntegrationTests.Inquiries;
using KapPractice.Web.Infrastructure.Data;
using Microsoft.EntityFrameworkCore;

namespace KapPractice.IntegrationTests.InquiryReview;

/// <summary>A status or outcome is exactly one of its names: a comma list or a number is refused, never combined into another value.</summary>
public sealed class AdminSingleChoiceTests(AdminSingleChoiceTests.Factory factory) : IClassFixture<AdminSingleChoiceTests.Factory>
{
    /// <summary>Many sign-ins and stored inquiries from the one test client.</summary>
    public sealed class Factory : KapPracticeFactory
    {
        public Factory()
        {
            WithSetting("Admin:SignInPermitLimit", "1000");
            WithSetting("RateLimiting:InquiryPermitLimit", "1000");
        }
    }

    [Theory]
    [InlineData("Contacted,ConsultationBooked")]
    [InlineData("Contacted, Closed")]
    [InlineData("1")]
    [InlineData("3")]
    [InlineData("New,")]
    public async Task A_status_that_is_not_exactly_one_name_is_a_400_and_nothing_changes(string status)
    {
        var id = await SubmitAsync();
        var (client, _) = await factory.SignedInClientAsync();
        var auditBefore = await factory.WithDbAsync(db => db.AuditEntries.CountAsync(e => e.InquiryId == id));

        using var response = await client.PostAdminFormAsync($"/admin/inquiries/{id}", "/status", ("status", status));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var stored = await factory.WithDbAsync(db => db.Inquiries.AsNoTracking().SingleAsync(i => i.Id == id));
        Assert.Equal(InquiryStatus.New, stored.Status);
        // Only the page view that loaded the form was audited: no status change.
        Assert.Equal(auditBefore + 1, await factory.WithDbAsync(db => db.AuditEntries.CountAsync(e => e.InquiryId == id)));
    }

    [Theory]
    [InlineData("/admin?status=Contacted,ConsultationBooked")]
    [InlineData("/admin?status=2")]
    [InlineData("/admin?outcome=LikelyEligible,Urgent")]
    [InlineData("/admin/spam?outcome=3")]
    [InlineData("/admin/export?status=New,Closed")]
    public async Task A_filter_that_is_not_exactly_one_name_is_a_400(string url)
    {
        var (client, _) = await factory.SignedInClientAsync();

        using var response = await client.GetAsync(new Uri(url, UriKind.Relative));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task One_status_name_is_still_accepted()
    {
        var id = await SubmitAsync();
        var (client, _) = await factory.SignedInClientAsync();

        using var response = await client.PostAdminFormAsync($"/admin/inquiries/{id}", "/status", ("status", "Contacted"));

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal(InquiryStatus.Contacted, (await factory.WithDbAsync(db => db.Inquiries.AsNoTracking().SingleAsync(i => i.Id == id))).Status);
    }

    private async Task<int> SubmitAsync()
    {
        var email = $"{Guid.NewGuid():N}@example.com";
        using var response = await factory.NewClient().SubmitInquiryAsync(InquiryForms.Valid(email: email));
        InquiryForms.AssertRedirectedToConfirmation(response);
        return (await factory.InquiriesAsync()).Single(i => i.Email == email).Id;
    }
}
