namespace KapPractice.Web.Infrastructure.Outbox;

/// <summary>
/// Thrown by a composer when the row's message no longer applies (an invitation for a call cancelled while it
/// waited): the dispatcher drops the row instead of sending it or showing it as a failure.
/// </summary>
public class MessageNoLongerNeededException : InvalidOperationException
{
    public MessageNoLongerNeededException()
    {
    }

    public MessageNoLongerNeededException(string message)
        : base(message)
    {
    }

    public MessageNoLongerNeededException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
