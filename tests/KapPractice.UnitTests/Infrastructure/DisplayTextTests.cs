using KapPractice.Web.Infrastructure;

namespace KapPractice.UnitTests.Infrastructure;

public sealed class DisplayTextTests
{
    [Theory]
    [InlineData("Alex Rivera")]
    [InlineData("Nguyễn O'Brien 李")]
    [InlineData("محمد الأحمد")]
    [InlineData("Zoë Ødegård-Łukasiewicz")]
    [InlineData("Ana \"Nan\" Example, Jr.")]
    [InlineData("a=b? c")]
    [InlineData("\u0645\u06CC\u200C\u062E\u0648\u0627\u0647\u0645")] // Persian "mi-khaham": the non-joiner is part of the spelling
    [InlineData("\u0928\u094D\u200D\u092F")] // Devanagari with a joiner inside the conjunct
    public void A_name_that_shows_as_it_is_stored_is_plain(string name)
    {
        Assert.True(DisplayText.IsPlainName(name));
    }

    public static TheoryData<string> HiddenCharacters =>
    [
        "\u202A", "\u202B", "\u202C", "\u202D", "\u202E",
        "\u2066", "\u2067", "\u2068", "\u2069",
        "\u200B", "\u200C", "\u200D", "\u200E", "\u200F", "\u2060", "\uFEFF",
        "\u061C", "\u00AD", "\U000E0041",
    ];

    [Theory]
    [MemberData(nameof(HiddenCharacters))]
    public void Invisible_and_direction_changing_characters_are_hidden_characters(string character)
    {
        var name = "Alex" + character + "Rivera";

        Assert.True(DisplayText.HasHiddenCharacters(name));
        Assert.False(DisplayText.IsPlainName(name));
    }

    [Theory]
    [InlineData("\u200C\u0645\u062D\u0645\u062F")] // at the start of a Persian word
    [InlineData("\u0645\u062D\u0645\u062F\u200D")] // at the end
    [InlineData("\u0645\u062D\u200C Ali")] // beside a space
    [InlineData("Les\u200Dlie")] // between Latin letters it only hides
    [InlineData("\u0645\u200C\u200C\u062F")] // two in a row: the second has no letter before it
    public void A_joiner_outside_a_joining_script_word_is_hidden(string name)
    {
        Assert.True(DisplayText.HasHiddenCharacters(name));
    }

    [Theory]
    [InlineData("=?UTF-8?B?TGVzbGllIFBvcnRpbGxv?=")]
    [InlineData("=?utf-8?q?Leslie_Portillo?=")]
    [InlineData("Ana =?ISO-8859-1?Q?Leslie?= Rivera")]
    [InlineData("=?x?y?z z?=")]
    public void Encoded_words_are_found_wherever_they_are(string name)
    {
        Assert.True(DisplayText.HasEncodedWord(name));
        Assert.False(DisplayText.IsPlainName(name));
    }

    [Theory]
    [InlineData("Alex\u0000Rivera")]
    [InlineData("Alex\nRivera")]
    [InlineData("Alex\u0085Rivera")]
    [InlineData("Alex\u2028Rivera")]
    [InlineData("Alex\uFFFDRivera")]
    [InlineData("  ")]
    public void Control_characters_line_breaks_and_blanks_are_not_a_plain_name(string name)
    {
        Assert.False(DisplayText.IsPlainName(name));
    }
}
