using KapPractice.IntegrationTests.Inquiries;

namespace KapPractice.Tests.Support;

// One app per provider per collection: xunit runs the collections side by side and the tests of one collection one after
// another, each starting from the database as the app had it just after starting (KapPracticeFactory.ResetAsync).
// A test that needs other settings, a fake clock, a restart or two instances keeps an app of its own. Mail tests whose
// fake clock stays where it started share a MailHarness the same way (SharedMailHarness in MailHarness.cs).

/// <summary>The admin app on SQLite, shared by the admin test classes.</summary>
[CollectionDefinition(Name)]
public sealed class SharedAdminApp : ICollectionFixture<AdminFactory>
{
    public const string Name = "Admin app on SQLite";
}

/// <summary>The admin app on PostgreSQL, shared by the admin test classes' PostgreSQL runs.</summary>
[CollectionDefinition(Name)]
public sealed class SharedAdminAppOnPostgreSql : ICollectionFixture<PostgreSqlAdminFactory>
{
    public const string Name = "Admin app on PostgreSQL";
}

/// <summary>The app with its default settings, shared by the public-site test classes.</summary>
[CollectionDefinition(Name)]
public sealed class SharedPublicApp : ICollectionFixture<KapPracticeFactory>
{
    public const string Name = "Public site app on SQLite";
}

/// <summary>The inquiry app (no minimum fill time, limits no test reaches) on SQLite, shared by the form test classes.</summary>
[CollectionDefinition(Name)]
public sealed class SharedInquiryApp : ICollectionFixture<InquiryAppFactory>
{
    public const string Name = "Inquiry app on SQLite";
}

/// <summary>The default mail harness (app, SMTP server, still clock) on SQLite, shared by the email test classes.</summary>
[CollectionDefinition(Name)]
public sealed class SharedMailApp : ICollectionFixture<SharedMail>
{
    public const string Name = "Mail harness on SQLite";
}

/// <summary>The mail harness without client acknowledgements on SQLite, shared by the reply and follow-up test classes.</summary>
[CollectionDefinition(Name)]
public sealed class SharedMailAppWithoutAcknowledgement : ICollectionFixture<SharedMailWithoutAcknowledgement>
{
    public const string Name = "Mail harness without acknowledgements on SQLite";
}

/// <summary>The mail harness without client acknowledgements on PostgreSQL.</summary>
[CollectionDefinition(Name)]
public sealed class SharedMailAppWithoutAcknowledgementOnPostgreSql : ICollectionFixture<SharedMailWithoutAcknowledgementOnPostgreSql>
{
    public const string Name = "Mail harness without acknowledgements on PostgreSQL";
}
