namespace KapPractice.Web.Features.Booking;

/// <summary>The hours form as posted: one field of time ranges per weekday (Monday first), the rules and the days off.</summary>
public sealed record HoursForm
{
    public List<string?> Ranges { get; init; } = [];
    public int SlotMinutes { get; init; }
    public int GapMinutes { get; init; }
    public int HorizonDays { get; init; }
    public int NoticeHours { get; init; }
    public string? DaysOff { get; init; }
}

public sealed record HoursPage(HoursForm Form, bool Saved, IReadOnlyDictionary<string, string> Errors);

public sealed record UpcomingConsultation(Domain.Booking Booking, string When);

public sealed record UpcomingPage(IReadOnlyList<UpcomingConsultation> Consultations, bool HasFeed, Uri? NewFeedUrl);
