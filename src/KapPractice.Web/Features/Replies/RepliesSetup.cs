namespace KapPractice.Web.Features.Replies;

public static class RepliesSetup
{
    /// <summary>Replies from the inquiry page (sent through the outbox), their templates with the defaults seeded once, and referrals.</summary>
    public static WebApplicationBuilder AddReplies(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddSingleton<Infrastructure.Outbox.IOutboxComposer, ReplyMessageComposer>();
        builder.Services.AddHostedService<DefaultReplyTemplatesSeeder>();
        return builder;
    }
}
