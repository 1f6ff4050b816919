using KapPractice.IntegrationTests.Inquiries;

namespace KapPractice.Tests.Support;

// One app per provider per collection: xunit runs the collections side by side and the tests of one collection one after
// another, each starting from the database as the app had it just after starting (KapPracticeFactory.ResetAsync).
// A test that needs other settings, a fake clock, a restart or two instances keeps an app of its own.

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
