using System.Net;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace KapPractice.IntegrationTests.SignIn;

/// <summary>
/// An unknown address, or an address locked out of the account, must cost the same password hashing as a
/// wrong password, or the response time tells which accounts exist or are locked. Counted, not timed.
/// </summary>
public sealed class SignInTimingTests
{
    private sealed class CountingHasher(IOptions<PasswordHasherOptions> options) : IPasswordHasher<IdentityUser>
    {
        private readonly PasswordHasher<IdentityUser> _inner = new(options);
        private int _verifications;

        public int Verifications => Volatile.Read(ref _verifications);

        public string HashPassword(IdentityUser user, string password) => _inner.HashPassword(user, password);

        public PasswordVerificationResult VerifyHashedPassword(IdentityUser user, string hashedPassword, string providedPassword)
        {
            Interlocked.Increment(ref _verifications);
            return _inner.VerifyHashedPassword(user, hashedPassword, providedPassword);
        }
    }

    private static (AdminFactory App, CountingHasher Hasher) AppWithCountingHasher()
    {
        var app = new AdminFactory();
        app.WithServices(services => services.AddSingleton<IPasswordHasher<IdentityUser>, CountingHasher>());
        _ = app.Services;
        return (app, (CountingHasher)app.Services.GetRequiredService<IPasswordHasher<IdentityUser>>());
    }

    [Fact]
    public async Task An_unknown_address_has_its_password_hashed_like_a_real_account()
    {
        var (app, hasher) = AppWithCountingHasher();
        await using var _ = app;
        using var client = app.CreateHttpsClient();

        using var response = await client.PostSignInAsync($"nobody-{Guid.NewGuid():N}@example.org", "a wrong password");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(1, hasher.Verifications);
    }

    [Fact]
    public async Task An_address_locked_out_of_the_account_has_its_password_hashed_like_an_open_one()
    {
        var (app, hasher) = AppWithCountingHasher();
        await using var _ = app;
        var email = $"locked-{Guid.NewGuid():N}@example.org";
        await app.CreateAdminAsync(email);
        using var client = app.CreateHttpsClient();
        for (var attempt = 1; attempt <= 5; attempt++)
        {
            using var wrong = await client.PostSignInAsync(email, "wrong password " + attempt);
        }

        var before = hasher.Verifications;
        using var locked = await client.PostSignInAsync(email, "wrong password again");

        Assert.Equal(HttpStatusCode.BadRequest, locked.StatusCode);
        Assert.Equal(before + 1, hasher.Verifications);
    }
}
