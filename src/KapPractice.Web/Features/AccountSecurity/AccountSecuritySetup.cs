namespace KapPractice.Web.Features.AccountSecurity;

public static class AccountSecuritySetup
{
    /// <summary>The services the Security pages share (the page's contents, enrolment-only sessions).</summary>
    public static WebApplicationBuilder AddAccountSecurity(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddScoped<SecurityOverview>();
        builder.Services.AddScoped<EnrolmentSessions>();
        return builder;
    }
}
