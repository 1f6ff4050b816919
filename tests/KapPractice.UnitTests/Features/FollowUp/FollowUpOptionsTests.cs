using KapPractice.Web.Features.FollowUp;
using KapPractice.Web.Infrastructure;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace KapPractice.UnitTests.Features.FollowUp;

public sealed class FollowUpOptionsTests
{
    [Theory]
    [InlineData(2, "09:00", "01:00:00", null)]
    [InlineData(1, "00:00", "00:01:00", null)]
    [InlineData(10, "23:59", "1.00:00:00", null)]
    [InlineData(0, "09:00", "01:00:00", "FollowUp:RespondWithinBusinessDays must be from 1 to 10; it is 0.")]
    [InlineData(11, "09:00", "01:00:00", "FollowUp:RespondWithinBusinessDays must be from 1 to 10; it is 11.")]
    [InlineData(2, "9am", "01:00:00", "FollowUp:DigestTime must be a time of day as HH:mm (24-hour), such as 09:00; it is '9am'.")]
    [InlineData(2, "24:00", "01:00:00", "FollowUp:DigestTime must be a time of day as HH:mm (24-hour), such as 09:00; it is '24:00'.")]
    [InlineData(2, "", "01:00:00", "FollowUp:DigestTime must be a time of day as HH:mm (24-hour), such as 09:00; it is ''.")]
    [InlineData(2, "09:00", "00:00:00", "FollowUp:UrgentRemindAfter must be longer than zero and at most a day, such as 01:00:00; it is 00:00:00.")]
    [InlineData(2, "09:00", "2.00:00:00", "FollowUp:UrgentRemindAfter must be longer than zero and at most a day, such as 01:00:00; it is 2.00:00:00.")]
    public void Settings_out_of_range_are_refused_naming_the_setting(int days, string digestTime, string remindAfter, string? message)
    {
        var options = new FollowUpOptions { RespondWithinBusinessDays = days, DigestTime = digestTime, UrgentRemindAfter = TimeSpan.Parse(remindAfter, System.Globalization.CultureInfo.InvariantCulture) };

        var result = new FollowUpOptionsValidation().Validate(null, options);

        Assert.Equal(message is null, result.Succeeded);
        if (message is not null)
        {
            Assert.Equal(message, Assert.Single(result.Failures!));
        }
    }

    [Theory]
    [InlineData(1, "Leslie Portillo, LCAT, ATR-BC", null, "Leslie replies within 1 business day")]
    [InlineData(2, "Leslie Portillo, LCAT, ATR-BC", null, "Leslie replies within 2 business days")]
    [InlineData(3, "Sam, LMHC", null, "Sam replies within 3 business days")]
    [InlineData(2, "Dr. Robin Vale", "Dr. Vale", "Dr. Vale replies within 2 business days")]
    public void The_promise_names_the_practitioner_and_counts_days_in_good_english(int days, string name, string? shortName, string expected)
    {
        var clock = new PracticeClock(Options.Create(new PracticeOptions()), TimeProvider.System);
        var rules = new FollowUpRules(
            Options.Create(new FollowUpOptions { RespondWithinBusinessDays = days }),
            Options.Create(new PracticeOptions { Name = name, ShortName = shortName }),
            clock,
            new FakeTimeProvider());

        Assert.Equal(expected, rules.Promise);
    }
}
