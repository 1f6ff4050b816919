namespace KapPractice.Web.Domain;

/// <summary>
/// Whether the practitioner may write to an inquiry's client from the admin area: not while it is marked as suspected
/// spam (docs/practitioner-guide.md). Replies, their resending and booking links all ask here, and
/// all say the same when refused.
/// </summary>
public static class ClientContact
{
    public const string SpamProblem = "This inquiry is marked as suspected spam, so nothing can be sent to it: no reply and no booking link. If it is a real inquiry, mark it as not spam first.";

    public static bool IsRefused(Inquiry inquiry)
    {
        ArgumentNullException.ThrowIfNull(inquiry);
        return inquiry.IsSuspectedSpam;
    }
}
