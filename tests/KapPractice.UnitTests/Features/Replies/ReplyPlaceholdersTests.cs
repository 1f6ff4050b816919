using KapPractice.Web.Domain;
using KapPractice.Web.Features.Replies;

namespace KapPractice.UnitTests.Features.Replies;

public sealed class ReplyPlaceholdersTests
{
    private static readonly Referral Clinic = new() { Name = "Harbor Clinic", Purpose = "eating disorders", Contact = "(212) 555-0100" };
    private static readonly Referral Line = new() { Name = "Warmline", Purpose = "someone to talk to", Contact = "warmline.org" };

    private static PlaceholderValues Values(string firstName = "Maya", IReadOnlyList<Referral>? referrals = null, string? link = null) =>
        new(firstName, "Leslie Portillo", "leslie@kap.test", referrals ?? [], link);

    [Fact]
    public void Each_placeholder_is_filled_with_its_value()
    {
        var text = ReplyPlaceholders.Fill("Dear {FirstName}, from {PracticeName} ({ContactEmail}).\nBook: {BookingLink}\n{Referrals}", Values(referrals: [Clinic, Line], link: "https://kap.test/book/abc"));

        Assert.Equal(
            "Dear Maya, from Leslie Portillo (leslie@kap.test).\nBook: https://kap.test/book/abc\n- Harbor Clinic — eating disorders — (212) 555-0100\n- Warmline — someone to talk to — warmline.org",
            text);
    }

    [Theory]
    [InlineData("{Referrals}")]
    [InlineData("{BookingLink}")]
    [InlineData("<b>{FirstName}</b>")]
    [InlineData("{{FirstName}}")]
    public void A_first_name_the_client_typed_comes_out_literally_and_is_never_filled_again(string typed)
    {
        var text = ReplyPlaceholders.Fill("Dear {FirstName},\n{Referrals}", Values(firstName: typed, referrals: [Clinic]));

        Assert.Equal($"Dear {typed},\n- Harbor Clinic — eating disorders — (212) 555-0100", text);
    }

    [Fact]
    public void Without_referrals_or_a_booking_link_their_lines_are_left_out_without_doubling_blank_lines()
    {
        var text = ReplyPlaceholders.Fill("Hello,\n\nThese may help:\n{Referrals}\n\nBook here: {BookingLink}\n\nBye", Values());

        Assert.Equal("Hello,\n\nThese may help:\n\nBye", text);
    }

    [Fact]
    public void Unknown_placeholders_are_named_once_each_and_brace_text_that_is_not_one_is_kept()
    {
        Assert.Equal(["{FirstNme}", "{Date}"], ReplyPlaceholders.Unknown("{FirstNme} {Date} {FirstNme} {FirstName}", ReplyPlaceholders.All));
        Assert.Equal(["{FirstName}"], ReplyPlaceholders.Unknown("Hi {FirstName} at {PracticeName}", ReplyPlaceholders.AllowedInSubject));
        Assert.Equal("Keep {Unknown}", ReplyPlaceholders.Fill("Keep {Unknown}", Values()));
    }

    [Theory]
    [InlineData("Maya Lin", "Maya")]
    [InlineData("  Jo   Anne ", "Jo")]
    [InlineData("Madonna", "Madonna")]
    [InlineData("   ", "")]
    public void The_first_name_is_the_first_word_of_the_name_on_the_form(string fullName, string firstName) =>
        Assert.Equal(firstName, ReplyPlaceholders.FirstNameOf(fullName));

    [Fact]
    public void A_referral_typed_over_several_lines_stays_on_its_one_line()
    {
        var referral = new Referral { Name = "Two\nLines", Purpose = "a\r\nb", Contact = "c" };

        Assert.Equal("- Two Lines — a b — c", ReplyPlaceholders.ReferralList([referral]));
    }
}
