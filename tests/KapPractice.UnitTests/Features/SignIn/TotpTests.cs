using System.Text;
using KapPractice.Web.Features.SignIn;

namespace KapPractice.UnitTests.Features.SignIn;

public sealed class TotpTests
{
    // RFC 6238 appendix B: the SHA-1 seed and its eight-digit codes; an app shows the last six digits.
    private static readonly byte[] RfcKey = Encoding.ASCII.GetBytes("12345678901234567890");

    [Theory]
    [InlineData(59L, "94287082")]
    [InlineData(1111111109L, "07081804")]
    [InlineData(1111111111L, "14050471")]
    [InlineData(1234567890L, "89005924")]
    [InlineData(2000000000L, "69279037")]
    [InlineData(20000000000L, "65353130")]
    public void Codes_match_the_RFC_6238_test_vectors(long unixSeconds, string eightDigits)
    {
        var code = Totp.Code(RfcKey, Totp.StepAt(DateTimeOffset.FromUnixTimeSeconds(unixSeconds)));

        Assert.Equal(eightDigits[2..], code);
    }

    [Fact]
    public void A_code_matches_within_one_step_either_side_and_not_beyond()
    {
        var now = DateTimeOffset.FromUnixTimeSeconds(1_234_567_890);
        var step = Totp.StepAt(now);

        Assert.Equal(step - 1, Totp.Match(RfcKey, Totp.Code(RfcKey, step - 1), now, long.MinValue));
        Assert.Equal(step, Totp.Match(RfcKey, Totp.Code(RfcKey, step), now, long.MinValue));
        Assert.Equal(step + 1, Totp.Match(RfcKey, Totp.Code(RfcKey, step + 1), now, long.MinValue));
        Assert.Null(Totp.Match(RfcKey, Totp.Code(RfcKey, step - 2), now, long.MinValue));
        Assert.Null(Totp.Match(RfcKey, Totp.Code(RfcKey, step + 2), now, long.MinValue));
    }

    [Fact]
    public void A_code_for_a_step_already_used_does_not_match()
    {
        var now = DateTimeOffset.FromUnixTimeSeconds(1_234_567_890);
        var step = Totp.StepAt(now);

        Assert.Null(Totp.Match(RfcKey, Totp.Code(RfcKey, step), now, lastUsedStep: step));
        Assert.Null(Totp.Match(RfcKey, Totp.Code(RfcKey, step - 1), now, lastUsedStep: step));
        Assert.Equal(step + 1, Totp.Match(RfcKey, Totp.Code(RfcKey, step + 1), now, lastUsedStep: step));
    }

    [Theory]
    [InlineData("123 456", "123456")]
    [InlineData(" 123-456 ", "123456")]
    [InlineData("12345", null)]
    [InlineData("1234567", null)]
    [InlineData("12a456", null)]
    [InlineData("ABCDE-FGHJK", null)]
    [InlineData("", null)]
    [InlineData(null, null)]
    public void Typed_codes_are_read_as_six_digits_or_not_at_all(string? typed, string? expected) =>
        Assert.Equal(expected, Totp.Normalize(typed));

    [Fact]
    public void Base32_keys_decode_as_RFC_4648_says_ignoring_case()
    {
        // RFC 4648 section 10: BASE32("foobar") = "MZXW6YTBOI======".
        Assert.Equal("foobar"u8.ToArray(), Totp.FromBase32("MZXW6YTBOI======"));
        Assert.Equal("foobar"u8.ToArray(), Totp.FromBase32("mzxw6ytboi"));
        Assert.Null(Totp.FromBase32("not base32!"));
    }

    [Fact]
    public void The_key_is_shown_in_groups_of_four() =>
        Assert.Equal("ABCD EFGH IJ23", Totp.Grouped("abcdefghij23"));
}
