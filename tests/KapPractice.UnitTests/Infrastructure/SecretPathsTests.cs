using KapPractice.Web.Infrastructure.Logging;

namespace KapPractice.UnitTests.Infrastructure;

public sealed class SecretPathsTests
{
    [Theory]
    [InlineData("/booking/TOKEN")]
    [InlineData("//booking/TOKEN")]
    [InlineData("/booking%2FTOKEN")]
    [InlineData("/booking%252FTOKEN")]
    [InlineData("/Booking/TOKEN")]
    [InlineData("/BOOKING%2fTOKEN/")]
    [InlineData("/booking/TOKEN/")]
    [InlineData("/booking/TOKEN/cancel")]
    [InlineData("/%62ooking/TOKEN")]
    [InlineData("\\booking\\TOKEN")]
    [InlineData("/./booking/./TOKEN")]
    [InlineData("/about/../booking/TOKEN")]
    [InlineData("/booking/feed/TOKEN.ics")]
    [InlineData("/booking%2Ffeed%2FTOKEN.ics")]
    [InlineData("/booking/feed%2FTOKEN.ics")]
    public void A_secret_path_however_written_is_logged_without_its_secret(string path)
    {
        var logged = SecretPaths.ForLog(path);

        Assert.Equal(SecretPaths.Booking + SecretPaths.Redacted, logged);
    }

    [Theory]
    [InlineData("/")]
    [InlineData("/about")]
    [InlineData("/booking")]
    [InlineData("/admin/booking")]
    [InlineData("/admin/booking/hours")]
    [InlineData("/admin/booking/3/cancel")]
    [InlineData("/articles/what%20is%20kap")]
    [InlineData("KapPractice.Web.Features.Booking.BookingService")]
    public void Other_text_is_left_as_it_is(string path) => Assert.Equal(path, SecretPaths.ForLog(path));
}
